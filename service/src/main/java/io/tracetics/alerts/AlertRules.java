package io.tracetics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.engine.query.Violation;
import io.tracetics.errors.ApiException;
import io.tracetics.funnels.FunnelQueries;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An alert request's rules, pure: every problem of its form in one 400 {@code invalid_alert}, the
 * problems against its funnel (a step it does not have, {@code drop_pct} without a range to
 * compare) in one 422. Each problem names its field under {@code violations}.
 */
public final class AlertRules {
  /** Entrants needed before the condition is judged, when the request does not say. */
  public static final long DEFAULT_MIN_ENTERED = 30;

  public static final int MAX_NAME_LENGTH = 200;

  private AlertRules() {}

  /**
   * The definition a creation request asks for.
   *
   * @throws ApiException 400 {@code invalid_alert} listing every problem
   */
  public static AlertDefinition definition(AlertApi.CreateRequest request) {
    List<Violation> problems = new ArrayList<>();
    String name = request.name() == null ? null : request.name().strip();
    if (name != null && (name.isEmpty() || name.length() > MAX_NAME_LENGTH)) {
      problems.add(
          new Violation(
              "invalid_name", "name", "must be 1 to " + MAX_NAME_LENGTH + " characters if given"));
    }
    if (request.funnelId() == null || request.funnelId() <= 0) {
      problems.add(
          new Violation("invalid_funnel_id", "funnel_id", "is required: a saved funnel's id"));
    }
    Optional<AlertDefinition.Metric> metric =
        request.metric() == null
            ? Optional.empty()
            : AlertDefinition.Metric.fromWire(request.metric());
    if (metric.isEmpty()) {
      problems.add(
          new Violation(
              "invalid_metric",
              "metric",
              "must be conversion_from_first, conversion_from_previous or median_seconds"));
    }
    Integer step = request.step();
    if (step == null || step < 0) {
      problems.add(new Violation("invalid_step", "step", "is required: a 0-based step index"));
    } else if (step == 0 && metric.isPresent() && !metric.get().meaningfulAtFirstStep()) {
      problems.add(
          new Violation(
              "invalid_step",
              "step",
              metric.get().wireName()
                  + " says nothing at step 0 (conversions are 1 there, and it has no time to"
                  + " convert): watch step 1 or later"));
    }
    AlertDefinition.Condition condition = condition(request.condition(), metric, problems);
    long minEntered = DEFAULT_MIN_ENTERED;
    if (request.minEntered() != null) {
      if (request.minEntered() < 1) {
        problems.add(new Violation("invalid_min_entered", "min_entered", "must be at least 1"));
      } else {
        minEntered = request.minEntered();
      }
    }
    WebhookTargets.formProblem(request.webhookUrl())
        .ifPresent(p -> problems.add(new Violation("invalid_webhook_url", "webhook_url", p)));
    if (!problems.isEmpty()) {
      throw FunnelQueries.invalid(400, "invalid_alert", problems);
    }
    return new AlertDefinition(
        name,
        request.funnelId(),
        step,
        metric.orElseThrow(),
        condition,
        minEntered,
        request.webhookUrl());
  }

  private static AlertDefinition.Condition condition(
      JsonNode node, Optional<AlertDefinition.Metric> metric, List<Violation> problems) {
    String expected = "must be one of {\"below\": x}, {\"above\": x}, {\"drop_pct\": x}";
    if (node == null || !node.isObject() || node.size() != 1) {
      problems.add(new Violation("invalid_condition", "condition", expected));
      return null;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    Map.Entry<String, JsonNode> only = fields.next();
    Optional<AlertDefinition.ConditionKind> kind =
        AlertDefinition.ConditionKind.fromWire(only.getKey());
    if (kind.isEmpty()) {
      problems.add(new Violation("invalid_condition", "condition", expected));
      return null;
    }
    String field = "condition." + only.getKey();
    JsonNode value = only.getValue();
    if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
      problems.add(new Violation("invalid_condition", field, "must be a number"));
      return null;
    }
    double threshold = value.asDouble();
    if (kind.get() == AlertDefinition.ConditionKind.DROP_PCT) {
      if (threshold <= 0 || threshold > 100) {
        problems.add(
            new Violation(
                "invalid_condition",
                field,
                "is a relative drop in percent: more than 0, at most 100"));
      }
    } else if (metric.isPresent() && metric.get().isRate() && (threshold < 0 || threshold > 1)) {
      problems.add(
          new Violation(
              "invalid_condition", field, "is a conversion rate: between 0 and 1 (0.05 is 5%)"));
    } else if (threshold < 0) {
      problems.add(new Violation("invalid_condition", field, "must not be negative"));
    }
    return new AlertDefinition.Condition(kind.get(), threshold);
  }

  /**
   * Checks {@code definition} against its funnel.
   *
   * @param steps the funnel's number of steps
   * @param hasRange whether the funnel saves both {@code from} and {@code to} (what a previous
   *     period needs)
   * @throws ApiException 422 {@code invalid_alert}
   */
  public static void againstFunnel(AlertDefinition definition, int steps, boolean hasRange) {
    List<Violation> problems = new ArrayList<>();
    if (definition.step() >= steps) {
      problems.add(
          new Violation(
              "unknown_step",
              "step",
              "funnel "
                  + definition.funnelId()
                  + " has steps 0 to "
                  + (steps - 1)
                  + "; step "
                  + definition.step()
                  + " does not exist"));
    }
    if (definition.condition().kind() == AlertDefinition.ConditionKind.DROP_PCT && !hasRange) {
      problems.add(
          new Violation(
              "no_previous_period",
              "condition.drop_pct",
              "compares with the previous period of the same length, so the funnel must save"
                  + " both from and to"));
    }
    if (!problems.isEmpty()) {
      throw FunnelQueries.invalid(422, "invalid_alert", problems);
    }
  }
}
