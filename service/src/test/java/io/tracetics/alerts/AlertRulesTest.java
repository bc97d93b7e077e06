package io.tracetics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.errors.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode condition(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static AlertApi.CreateRequest request(
      Integer step, String metric, String condition, Long minEntered, String url) {
    return new AlertApi.CreateRequest(
        "checkout", 7L, step, metric, condition(condition), minEntered, url);
  }

  @SuppressWarnings("unchecked")
  private static List<String> fields(ApiException e) {
    return ((List<Map<String, String>>) e.details().get("violations"))
        .stream().map(v -> v.get("field")).toList();
  }

  @Test
  void aValidRequestWithTheDefaultMinimum() {
    AlertDefinition d =
        AlertRules.definition(
            request(1, "conversion_from_first", "{\"below\": 0.05}", null, "https://h.example/x"));
    assertEquals(AlertDefinition.Metric.CONVERSION_FROM_FIRST, d.metric());
    assertEquals(AlertDefinition.ConditionKind.BELOW, d.condition().kind());
    assertEquals(0.05, d.condition().threshold());
    assertEquals(AlertRules.DEFAULT_MIN_ENTERED, d.minEntered());
    assertEquals("checkout", d.name());
  }

  @Test
  void everyProblemIsNamedInOne400() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                AlertRules.definition(
                    new AlertApi.CreateRequest(
                        "", null, -1, "clicks", condition("{\"under\": 1}"), 0L, "ftp://x")));
    assertEquals(400, e.status());
    assertEquals("invalid_alert", e.error());
    assertEquals(
        List.of("name", "funnel_id", "metric", "step", "condition", "min_entered", "webhook_url"),
        fields(e));
  }

  @Test
  void stepZeroSaysNothingForTheseMetrics() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                AlertRules.definition(
                    request(0, "conversion_from_first", "{\"below\": 0.5}", 5L, "https://h.x/")));
    assertEquals(List.of("step"), fields(e));
  }

  @Test
  void thresholdsFitTheirMetric() {
    assertEquals(
        List.of("condition.below"),
        fields(
            assertThrows(
                ApiException.class,
                () ->
                    AlertRules.definition(
                        request(
                            1, "conversion_from_first", "{\"below\": 5}", 5L, "https://h.x/")))));
    assertEquals(
        List.of("condition.drop_pct"),
        fields(
            assertThrows(
                ApiException.class,
                () ->
                    AlertRules.definition(
                        request(1, "median_seconds", "{\"drop_pct\": 150}", 5L, "https://h.x/")))));
    assertEquals(
        List.of("condition.above"),
        fields(
            assertThrows(
                ApiException.class,
                () ->
                    AlertRules.definition(
                        request(1, "median_seconds", "{\"above\": \"x\"}", 5L, "https://h.x/")))));
    assertEquals(
        List.of("condition"),
        fields(
            assertThrows(
                ApiException.class,
                () ->
                    AlertRules.definition(
                        request(
                            1,
                            "median_seconds",
                            "{\"above\": 1, \"below\": 2}",
                            5L,
                            "https://h.x/")))));
    AlertRules.definition(request(2, "median_seconds", "{\"above\": 3600}", 5L, "https://h.x/"));
  }

  @Test
  void againstTheFunnel() {
    AlertDefinition d =
        AlertRules.definition(
            request(3, "conversion_from_first", "{\"drop_pct\": 20}", 5L, "https://h.x/"));
    ApiException e = assertThrows(ApiException.class, () -> AlertRules.againstFunnel(d, 3, false));
    assertEquals(422, e.status());
    assertEquals(List.of("step", "condition.drop_pct"), fields(e));
    assertTrue(e.getMessage().startsWith("step: "));
    AlertRules.againstFunnel(d, 4, true);
  }
}
