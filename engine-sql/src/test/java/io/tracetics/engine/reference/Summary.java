package io.tracetics.engine.reference;

import io.tracetics.engine.exec.AlternativeCount;
import io.tracetics.engine.exec.BreakdownGroup;
import io.tracetics.engine.exec.FunnelResult;
import io.tracetics.engine.exec.HistogramBucket;
import io.tracetics.engine.exec.StepResult;
import io.tracetics.engine.exec.TrendPoint;
import io.tracetics.engine.plan.FunnelPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A funnel result reduced to what the reference can state, with a canonical text form so a mismatch
 * shows as a readable diff. Doubles are printed with 6 decimals.
 */
public final class Summary {
  /** Users at one step and the time-to-convert statistics of those users. */
  public record Step(
      long users, String median, String p90, String mean, List<Long> hist, List<Long> alts) {
    static Step of(long users, List<Double> dts) {
      return of(users, dts, List.of());
    }

    /** With the users per alternative ({@code alts}; empty when the result has none). */
    static Step of(long users, List<Double> dts, List<Long> alts) {
      List<Double> sorted = new ArrayList<>(dts);
      sorted.sort(null);
      List<Long> hist = new ArrayList<>();
      List<Double> b = FunnelPlan.HISTOGRAM_BOUNDS;
      for (int i = 0; i < b.size(); i++) {
        double lo = b.get(i);
        double hi = i + 1 < b.size() ? b.get(i + 1) : Double.POSITIVE_INFINITY;
        hist.add(sorted.stream().filter(d -> d >= lo && d < hi).count());
      }
      if (sorted.isEmpty()) {
        return new Step(users, "-", "-", "-", hist, alts);
      }
      double mean = sorted.stream().mapToDouble(Double::doubleValue).sum() / sorted.size();
      return new Step(
          users, fmt(quantile(sorted, 0.5)), fmt(quantile(sorted, 0.9)), fmt(mean), hist, alts);
    }

    static Step of(StepResult r) {
      List<Long> hist = r.timeToConvert().histogram().stream().map(HistogramBucket::users).toList();
      return new Step(
          r.users(),
          fmt(r.timeToConvert().medianSeconds()),
          fmt(r.timeToConvert().p90Seconds()),
          fmt(r.timeToConvert().meanSeconds()),
          hist,
          r.alternatives().stream().map(AlternativeCount::users).toList());
    }
  }

  public List<Step> steps = new ArrayList<>();
  public Map<String, List<Step>> breakdowns = new LinkedHashMap<>();
  public List<String> trends = new ArrayList<>();

  /** For a funnel counting units: {@code <property> unassigned=<events left out>}; else null. */
  public String countBy;

  /** Linear interpolation between closest ranks, as DuckDB's quantile_cont. */
  static double quantile(List<Double> sorted, double q) {
    double pos = q * (sorted.size() - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  static String fmt(OptionalDouble v) {
    return v.isPresent() ? fmt(v.getAsDouble()) : "-";
  }

  public static Summary of(FunnelResult r) {
    Summary s = new Summary();
    r.steps().forEach(step -> s.steps.add(Step.of(step)));
    for (BreakdownGroup g : r.breakdowns()) {
      String label = g.other() ? "(other)" : g.value() == null ? "(not set)" : g.value();
      s.breakdowns.put(label, g.steps().stream().map(Step::of).toList());
    }
    for (TrendPoint p : r.trends()) {
      s.trends.add(p.period() + " entered=" + p.entered() + " completed=" + p.completed());
    }
    r.countBy().ifPresent(c -> s.countBy = c.property() + " unassigned=" + c.unassignedEvents());
    return s;
  }

  /** Users per step only (the part that is exact without time-to-convert). */
  public String usersText() {
    StringBuilder sb = new StringBuilder("steps ");
    steps.forEach(st -> sb.append(st.users()).append(' '));
    breakdowns.forEach(
        (k, v) -> {
          sb.append("\n  [").append(k).append("] ");
          v.forEach(st -> sb.append(st.users()).append(' '));
        });
    trends.forEach(t -> sb.append("\n  trend ").append(t));
    if (countBy != null) {
      sb.append("\n  count_by ").append(countBy);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < steps.size(); k++) {
      sb.append("step ").append(k).append(": ").append(steps.get(k)).append('\n');
    }
    breakdowns.forEach(
        (key, v) -> {
          sb.append("group ").append(key).append('\n');
          for (int k = 0; k < v.size(); k++) {
            sb.append("  step ").append(k).append(": ").append(v.get(k)).append('\n');
          }
        });
    trends.forEach(t -> sb.append("trend ").append(t).append('\n'));
    if (countBy != null) {
      sb.append("count_by ").append(countBy).append('\n');
    }
    return sb.toString();
  }
}
