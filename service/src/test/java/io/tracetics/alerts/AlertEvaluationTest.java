package io.tracetics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.alerts.AlertDefinition.ConditionKind;
import io.tracetics.alerts.AlertDefinition.Metric;
import io.tracetics.alerts.AlertEvaluation.Outcome;
import org.junit.jupiter.api.Test;

class AlertEvaluationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A report of three steps with these users and step 1's and 2's median time to convert. */
  static JsonNode report(long first, long second, long third, Double median) {
    ObjectNode report = JSON.createObjectNode();
    ArrayNode steps = report.putArray("steps");
    long[] users = {first, second, third};
    for (int i = 0; i < 3; i++) {
      ObjectNode step = steps.addObject();
      step.put("index", i);
      step.put("users", users[i]);
      step.put("conversion_from_first", first == 0 ? 0 : (double) users[i] / first);
      step.put(
          "conversion_from_previous",
          i == 0 ? 1.0 : users[i - 1] == 0 ? 0 : (double) users[i] / users[i - 1]);
      ObjectNode ttc = step.putObject("time_to_convert");
      if (i == 0 || median == null) {
        ttc.putNull("median_seconds");
      } else {
        ttc.put("median_seconds", median);
      }
    }
    return report;
  }

  static AlertDefinition alert(int step, Metric metric, ConditionKind kind, double x, long min) {
    return new AlertDefinition(
        null,
        1,
        step,
        metric,
        new AlertDefinition.Condition(kind, x),
        min,
        "https://hooks.example.com/");
  }

  @Test
  void belowAndAboveAreStrict() {
    JsonNode report = report(100, 10, 5, 60.0);
    AlertDefinition below = alert(1, Metric.CONVERSION_FROM_FIRST, ConditionKind.BELOW, 0.1, 10);
    assertEquals(Outcome.FALSE, AlertEvaluation.evaluate(below, report, null).outcome());
    AlertDefinition below2 = alert(1, Metric.CONVERSION_FROM_FIRST, ConditionKind.BELOW, 0.11, 10);
    AlertEvaluation.Result result = AlertEvaluation.evaluate(below2, report, null);
    assertEquals(Outcome.TRUE, result.outcome());
    assertEquals(0.1, result.value());
    assertEquals(100, result.entered());
    AlertDefinition above = alert(2, Metric.CONVERSION_FROM_PREVIOUS, ConditionKind.ABOVE, 0.4, 10);
    assertEquals(Outcome.TRUE, AlertEvaluation.evaluate(above, report, null).outcome());
    AlertDefinition slow = alert(2, Metric.MEDIAN_SECONDS, ConditionKind.ABOVE, 60, 10);
    assertEquals(Outcome.FALSE, AlertEvaluation.evaluate(slow, report, null).outcome());
  }

  @Test
  void tooFewEntrantsAreNotJudged() {
    AlertDefinition below = alert(1, Metric.CONVERSION_FROM_FIRST, ConditionKind.BELOW, 0.5, 30);
    AlertEvaluation.Result result = AlertEvaluation.evaluate(below, report(29, 1, 0, null), null);
    assertEquals(Outcome.NOT_EVALUABLE, result.outcome());
    assertEquals(29, result.entered());
    assertEquals(
        Outcome.TRUE, AlertEvaluation.evaluate(below, report(30, 1, 0, null), null).outcome());
  }

  @Test
  void aMissingMedianOrStepIsNotJudged() {
    AlertDefinition slow = alert(1, Metric.MEDIAN_SECONDS, ConditionKind.ABOVE, 10, 1);
    AlertEvaluation.Result result = AlertEvaluation.evaluate(slow, report(50, 0, 0, null), null);
    assertEquals(Outcome.NOT_EVALUABLE, result.outcome());
    assertNull(result.value());
    AlertDefinition gone = alert(5, Metric.CONVERSION_FROM_FIRST, ConditionKind.BELOW, 0.5, 1);
    assertEquals(
        Outcome.NOT_EVALUABLE,
        AlertEvaluation.evaluate(gone, report(50, 5, 1, null), null).outcome());
  }

  @Test
  void dropPctComparesWithThePreviousPeriod() {
    AlertDefinition drop = alert(1, Metric.CONVERSION_FROM_FIRST, ConditionKind.DROP_PCT, 25, 10);
    JsonNode before = report(100, 40, 10, null);
    AlertEvaluation.Result fell = AlertEvaluation.evaluate(drop, report(100, 30, 5, null), before);
    assertEquals(Outcome.TRUE, fell.outcome());
    assertEquals(0.4, fell.previousValue());
    assertEquals(25.0, fell.dropPct(), 1e-9);
    AlertEvaluation.Result held = AlertEvaluation.evaluate(drop, report(100, 31, 5, null), before);
    assertEquals(Outcome.FALSE, held.outcome());
    AlertEvaluation.Result rose = AlertEvaluation.evaluate(drop, report(100, 60, 5, null), before);
    assertEquals(Outcome.FALSE, rose.outcome());
  }

  @Test
  void dropPctWithoutAUsablePreviousPeriodIsNotJudged() {
    AlertDefinition drop = alert(1, Metric.CONVERSION_FROM_FIRST, ConditionKind.DROP_PCT, 25, 10);
    JsonNode now = report(100, 10, 5, null);
    assertEquals(Outcome.NOT_EVALUABLE, AlertEvaluation.evaluate(drop, now, null).outcome());
    assertEquals(
        Outcome.NOT_EVALUABLE,
        AlertEvaluation.evaluate(drop, now, report(9, 9, 9, null)).outcome());
    assertEquals(
        Outcome.NOT_EVALUABLE,
        AlertEvaluation.evaluate(drop, now, report(100, 0, 0, null)).outcome());
  }
}
