package io.tracetics.funnels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.errors.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report parameter {@code compare}: its one value and the range it needs. */
class FunnelQueriesCompareTest {
  private static FunnelApi.Definition definition(String from, String to) {
    return new FunnelApi.Definition(
        "f",
        3600L,
        "ordered",
        List.of(new FunnelApi.Step("a", null), new FunnelApi.Step("b", null)),
        null,
        null,
        null,
        null,
        null,
        null,
        from,
        to,
        null,
        null);
  }

  private static ReportParams compare(String from, String to, String compare) {
    return new ReportParams(from, to, null, null, null, null, compare);
  }

  @Test
  void previousWithARangeFromTheParametersOrTheDefinition() {
    FunnelQuery q =
        FunnelQueries.toQuery(
            1, definition(null, null), compare("2026-01-08", "2026-01-15", "previous"));
    assertEquals(Instant.parse("2026-01-08T00:00:00Z"), q.from().orElseThrow());
    FunnelQueries.toQuery(
        1, definition("2026-01-08", "2026-01-15"), compare(null, null, "previous"));
    FunnelQueries.toQuery(
        1, definition("2026-01-08", null), compare(null, "2026-01-15", "previous"));
  }

  @Test
  void previousWithoutBothEndsIsA422OnCompare() {
    for (ReportParams params :
        List.of(
            compare(null, null, "previous"),
            compare("2026-01-08", null, "previous"),
            compare(null, "2026-01-15", "previous"),
            compare("", "2026-01-15", "previous"))) {
      List<Map<String, String>> violations = violations(definition(null, null), params);
      assertEquals(1, violations.size(), violations::toString);
      assertEquals("compare", violations.get(0).get("field"));
      assertEquals("compare_needs_range", violations.get(0).get("code"));
    }
  }

  @Test
  void anyOtherValueIsA422OnCompare() {
    for (String value : List.of("", "next", "PREVIOUS", "previous_year")) {
      List<Map<String, String>> violations =
          violations(definition("2026-01-08", "2026-01-15"), compare(null, null, value));
      assertEquals(
          List.of("invalid_compare"), violations.stream().map(v -> v.get("code")).toList());
      assertEquals("compare", violations.get(0).get("field"));
    }
  }

  @Test
  void aBadDateIsReportedAsSuchNotAsAMissingRange() {
    List<Map<String, String>> violations =
        violations(definition(null, null), compare("yesterday", "2026-01-15", "previous"));
    assertEquals(List.of("invalid_date"), violations.stream().map(v -> v.get("code")).toList());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, String>> violations(
      FunnelApi.Definition def, ReportParams params) {
    ApiException e = assertThrows(ApiException.class, () -> FunnelQueries.toQuery(1, def, params));
    assertEquals(422, e.status());
    assertEquals("invalid_funnel", e.error());
    return (List<Map<String, String>>) e.details().get("violations");
  }
}
