package io.tracetics.funnels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.stats.BenjaminiHochberg;
import io.tracetics.stats.ProportionComparison;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A report compared with the previous period ({@code compare=previous}), on the report JSON (a
 * saved funnel's parts may come from the cache as JSON):
 *
 * <ul>
 *   <li>{@code previous}: the whole report of the range of the same length ending where the current
 *       one starts;
 *   <li>per step, {@code comparison}: the previous period's users, conversion from the first step
 *       in both and their difference (current minus previous), and whether it is significant: a
 *       two-sided test of "conversion from the first step is the same" on the 2x2 table (reached
 *       the step / entered but did not) x (current / previous), chosen by {@link
 *       ProportionComparison}. The first step's conversion is 1 by definition: its {@code
 *       significance} is null;
 *   <li>per step of each breakdown group, {@code comparison}: the group against everyone else who
 *       entered in the same period (the groups partition the entrants, so the rest is the total
 *       minus the group), with the same test; at each step the p-values of the groups that were
 *       tested are adjusted together with Benjamini-Hochberg ({@code adjusted_p_value}).
 * </ul>
 */
final class ReportComparison {
  private ReportComparison() {}

  /** An entry range: from inclusive, to exclusive. */
  record Range(Instant from, Instant to) {
    /** The range of the same length ending where this one starts. */
    Range previous() {
      Duration length = Duration.between(from, to);
      return new Range(from.minus(length), from);
    }
  }

  /**
   * {@code current} with the comparison added (changed in place and returned).
   *
   * @param previous the report of {@code range.previous()}, same definition and parameters
   */
  static ObjectNode compare(ObjectNode current, ObjectNode previous, Range range) {
    JsonNode steps = current.get("steps");
    JsonNode previousSteps = previous.get("steps");
    if (steps.size() != previousSteps.size()) {
      throw new IllegalStateException("the two periods' reports have different steps");
    }
    long entrants = users(steps, 0);
    long previousEntrants = users(previousSteps, 0);
    for (int k = 0; k < steps.size(); k++) {
      long reached = users(steps, k);
      long previousReached = users(previousSteps, k);
      ObjectNode comparison = ((ObjectNode) steps.get(k)).putObject("comparison");
      comparison.put("previous_users", previousReached);
      double conversion = rate(reached, entrants);
      double previousConversion = rate(previousReached, previousEntrants);
      comparison.put("conversion_from_first", conversion);
      comparison.put("previous_conversion_from_first", previousConversion);
      comparison.put("difference", conversion - previousConversion);
      if (k == 0) {
        comparison.putNull("significance");
      } else {
        ProportionComparison.Result result =
            ProportionComparison.compare(reached, entrants, previousReached, previousEntrants);
        significance(comparison.putObject("significance"), result, false);
      }
    }
    compareGroups(current);
    ObjectNode compare = current.putObject("compare");
    compare.put("with", ReportParams.COMPARE_PREVIOUS);
    compare.put("from", range.from().toString());
    compare.put("to", range.to().toString());
    Range before = range.previous();
    compare.put("previous_from", before.from().toString());
    compare.put("previous_to", before.to().toString());
    current.set("previous", previous);
    return current;
  }

  /** Each breakdown group against the rest of the same period, adjusted across groups per step. */
  private static void compareGroups(ObjectNode report) {
    JsonNode steps = report.get("steps");
    JsonNode groups = report.get("breakdowns");
    if (groups == null || groups.isEmpty()) {
      return;
    }
    long entrants = users(steps, 0);
    for (int k = 0; k < steps.size(); k++) {
      List<ObjectNode> tested = new ArrayList<>();
      List<Double> pValues = new ArrayList<>();
      for (JsonNode group : groups) {
        JsonNode groupSteps = group.get("steps");
        long groupEntrants = users(groupSteps, 0);
        long restEntrants = entrants - groupEntrants;
        long reached = users(groupSteps, k);
        long restReached = users(steps, k) - reached;
        ObjectNode comparison = ((ObjectNode) groupSteps.get(k)).putObject("comparison");
        comparison.put("rest_users", restReached);
        double conversion = rate(reached, groupEntrants);
        double restConversion = rate(restReached, restEntrants);
        comparison.put("conversion_from_first", conversion);
        comparison.put("rest_conversion_from_first", restConversion);
        comparison.put("difference", conversion - restConversion);
        if (k == 0) {
          comparison.putNull("significance");
          continue;
        }
        ProportionComparison.Result result =
            ProportionComparison.compare(reached, groupEntrants, restReached, restEntrants);
        ObjectNode significance = comparison.putObject("significance");
        significance(significance, result, true);
        if (result.pValue().isPresent()) {
          tested.add(significance);
          pValues.add(result.pValue().getAsDouble());
        }
      }
      double[] adjusted =
          BenjaminiHochberg.adjust(pValues.stream().mapToDouble(Double::doubleValue).toArray());
      for (int g = 0; g < tested.size(); g++) {
        tested.get(g).put("adjusted_p_value", adjusted[g]);
      }
    }
  }

  /**
   * {@code p_value}, for a breakdown group {@code adjusted_p_value} (null here: set once its step's
   * family is adjusted; stays null for a group not tested), and {@code method}.
   */
  private static void significance(
      ObjectNode node, ProportionComparison.Result result, boolean adjusted) {
    if (result.pValue().isPresent()) {
      node.put("p_value", result.pValue().getAsDouble());
    } else {
      node.putNull("p_value");
    }
    if (adjusted) {
      node.putNull("adjusted_p_value");
    }
    node.put("method", result.method().wireName());
  }

  private static long users(JsonNode steps, int k) {
    return steps.get(k).get("users").asLong();
  }

  /** As the engine's conversion: 0 when nobody entered. */
  private static double rate(long reached, long entrants) {
    return entrants == 0 ? 0 : (double) reached / entrants;
  }
}
