package io.tracetics.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * The common SQL formulation of an ordered funnel (each step joined to the previous one per user
 * within the window), over the SQL endpoint's {@code events} view: what the real-data benchmark
 * checks the engine's users per step against.
 */
final class SelfJoinSql {
  private SelfJoinSql() {}

  /**
   * The SELECT of users per step by the self-join formulation (ordered mode: each step at or after
   * the previous one and within the window of the first; distinct event names, so no event fills
   * two steps). {@code condition} narrows the step-1 events {@code e0}, e.g. to one breakdown value
   * (the breakdown property is constant per user in the trivago sample, so this equals the engine's
   * per-attempt value).
   */
  static String of(List<String> steps, long windowSeconds, String condition) {
    StringBuilder select = new StringBuilder("SELECT ");
    StringBuilder from = new StringBuilder(" FROM events e0");
    for (int i = 0; i < steps.size(); i++) {
      select
          .append(i == 0 ? "" : ", ")
          .append("count(DISTINCT e")
          .append(i)
          .append(".user_identifier)");
      if (i > 0) {
        from.append(
            String.format(
                Locale.ROOT,
                " LEFT JOIN events e%1$d ON e%1$d.user_identifier = e%2$d.user_identifier"
                    + " AND e%1$d.event_name = %3$s AND e%1$d.event_time >= e%2$d.event_time"
                    + " AND e%1$d.event_time <= e0.event_time + INTERVAL %4$d SECOND",
                i,
                i - 1,
                literal(steps.get(i)),
                windowSeconds));
      }
    }
    String where = " WHERE e0.event_name = " + literal(steps.get(0)) + condition;
    return select + from.toString() + where;
  }

  /** A SQL string literal. */
  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
