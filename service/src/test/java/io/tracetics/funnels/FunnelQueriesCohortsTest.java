package io.tracetics.funnels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.engine.query.CohortRestriction;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.errors.ApiException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A definition's cohorts as the engine's restriction, and the ids that cannot be cohorts. */
class FunnelQueriesCohortsTest {
  private static FunnelApi.Definition definition(FunnelApi.Cohorts cohorts) {
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
        null,
        null,
        null,
        cohorts);
  }

  @Test
  void includeAndExcludeBecomeTheRestriction() {
    FunnelQuery q =
        FunnelQueries.toQuery(
            1,
            definition(new FunnelApi.Cohorts(List.of(9L, 4L, 9L), List.of(12L))),
            ReportParams.NONE);
    assertEquals(new CohortRestriction(Set.of(4L, 9L), Set.of(12L)), q.cohorts());
    assertEquals(
        CohortRestriction.NONE,
        FunnelQueries.toQuery(1, definition(null), ReportParams.NONE).cohorts());
    assertEquals(
        CohortRestriction.NONE,
        FunnelQueries.toQuery(
                1, definition(new FunnelApi.Cohorts(null, List.of())), ReportParams.NONE)
            .cohorts());
  }

  @Test
  void anIdThatCannotBeACohortIsA422NamingIt() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                FunnelQueries.toQuery(
                    1,
                    definition(new FunnelApi.Cohorts(Arrays.asList(4L, 0L), List.of(-3L))),
                    ReportParams.NONE));
    assertEquals(422, e.status());
    assertEquals("invalid_funnel", e.error());
    @SuppressWarnings("unchecked")
    List<Map<String, String>> violations =
        (List<Map<String, String>>) e.details().get("violations");
    assertEquals(
        List.of("cohorts.include[1]", "cohorts.exclude[0]"),
        violations.stream().map(v -> v.get("field")).toList());
    assertEquals("unknown_cohort", violations.get(0).get("code"));
  }
}
