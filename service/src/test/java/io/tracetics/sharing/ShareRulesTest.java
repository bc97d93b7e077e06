package io.tracetics.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.errors.ApiException;
import io.tracetics.funnels.ReportParams;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShareRulesTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void allowedParametersAreTheReportsInItsOrderWithoutDuplicates() {
    assertEquals(List.of(), ShareRules.allowedParameters(null));
    assertEquals(List.of(), ShareRules.allowedParameters(List.of()));
    assertEquals(
        List.of("from", "to", "breakdown", "interval"),
        ShareRules.allowedParameters(List.of("interval", "breakdown", "to", "from", "to")));
    assertEquals(
        List.of("from", "to", "breakdown", "interval", "mode", "breakdown_source", "compare"),
        ShareRules.allowedParameters(
            List.of("compare", "breakdown_source", "mode", "interval", "breakdown", "to", "from")));
  }

  @Test
  void anUnknownParameterIsRefusedByName() {
    ApiException e =
        assertThrows(
            ApiException.class, () -> ShareRules.allowedParameters(List.of("from", "funnel_id")));
    assertEquals(400, e.status());
    assertEquals("unknown_parameter", e.error());
    assertTrue(e.getMessage().contains("'funnel_id'"), e.getMessage());
    assertTrue(e.getMessage().startsWith("allowed_parameters: "), e.getMessage());
    // Parameters of other calls are not the report's.
    for (String other : List.of("step", "status", "cursor", "limit", "FROM", "", "embed")) {
      assertThrows(ApiException.class, () -> ShareRules.allowedParameters(List.of(other)), other);
    }
    assertThrows(
        ApiException.class, () -> ShareRules.allowedParameters(Arrays.asList("from", null)));
  }

  @Test
  void aLongUnknownNameIsCutInTheMessage() {
    String name = "x".repeat(500);
    ApiException e =
        assertThrows(ApiException.class, () -> ShareRules.allowedParameters(List.of(name)));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
  }

  @Test
  void expiryIsOptionalAndInTheFuture() {
    assertEquals(Optional.empty(), ShareRules.expiresAt(null, NOW));
    assertEquals(
        Optional.of(Instant.parse("2026-03-02T00:00:00Z")),
        ShareRules.expiresAt("2026-03-02T00:00:00Z", NOW));
    assertEquals(
        Optional.of(Instant.parse("2026-03-01T23:00:00Z")),
        ShareRules.expiresAt("2026-03-02T01:00:00+02:00", NOW));
    // Kept to the millisecond, as stored.
    assertEquals(
        Optional.of(Instant.parse("2026-03-02T00:00:00.123Z")),
        ShareRules.expiresAt("2026-03-02T00:00:00.123456Z", NOW));
    for (String past :
        List.of("2026-03-01T12:00:00Z", "2026-03-01T11:59:59Z", "2020-01-01T00:00:00Z")) {
      ApiException e =
          assertThrows(ApiException.class, () -> ShareRules.expiresAt(past, NOW), past);
      assertEquals("invalid_expires_at", e.error());
      assertEquals("expires_at must be in the future", e.getMessage());
    }
    for (String bad : List.of("tomorrow", "2026-03-02", "2026-03-02T00:00:00", "")) {
      ApiException e = assertThrows(ApiException.class, () -> ShareRules.expiresAt(bad, NOW), bad);
      assertEquals(400, e.status());
      assertEquals("invalid_expires_at", e.error());
    }
  }

  @Test
  void aLinkIsLiveUntilItsExpiry() {
    long at = NOW.toEpochMilli();
    assertTrue(ShareRules.unexpired(null, NOW));
    assertTrue(ShareRules.unexpired(at + 1, NOW));
    assertFalse(ShareRules.unexpired(at, NOW));
    assertFalse(ShareRules.unexpired(at - 1, NOW));
  }

  @Test
  void noViewerParametersMeansTheSavedReport() {
    assertEquals(Optional.empty(), ShareRules.viewerParams(Map.of(), Set.of("from")));
  }

  @Test
  void allowedViewerParametersBecomeTheReportsParameters() {
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("interval", List.of("day"));
    query.put("from", List.of("2026-01-01T00:00:00Z"));
    query.put("compare", List.of("previous"));
    assertEquals(
        Optional.of(
            new ReportParams("2026-01-01T00:00:00Z", null, null, "day", null, null, "previous")),
        ShareRules.viewerParams(query, Set.of("from", "interval", "compare")));
  }

  @Test
  void aParameterNotAllowedIsRefusedByName() {
    for (String name : List.of("breakdown", "funnel_id", "app_id", "token", "embed")) {
      ApiException e =
          assertThrows(
              ApiException.class,
              () ->
                  ShareRules.viewerParams(
                      Map.of("from", List.of("2026-01-01"), name, List.of("x")), Set.of("from")),
              name);
      assertEquals(400, e.status());
      assertEquals("parameter_not_allowed", e.error());
      assertEquals(name, e.details().get("parameter"));
      assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }
    // Nothing is allowed by default.
    assertThrows(
        ApiException.class, () -> ShareRules.viewerParams(Map.of("from", List.of("x")), Set.of()));
  }

  @Test
  void aParameterGivenTwiceIsRefused() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                ShareRules.viewerParams(
                    Map.of("breakdown", List.of("plan", "source")), Set.of("breakdown")));
    assertEquals("invalid_parameter", e.error());
  }

  @Test
  void storedFormRoundTrips() {
    assertEquals(List.of(), ShareRules.decode(ShareRules.encode(List.of())));
    assertEquals(
        List.of("from", "breakdown_source"),
        ShareRules.decode(ShareRules.encode(List.of("from", "breakdown_source"))));
  }
}
