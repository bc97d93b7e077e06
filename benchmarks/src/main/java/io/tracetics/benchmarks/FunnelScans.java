package io.tracetics.benchmarks;

import io.tracetics.engine.store.AnalyticsStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The SQL the funnel benchmark compares the engine with, run on the store's reader connections: the
 * floor (one scan of the funnel's rows plus a GROUP BY user) and the self-join formulation.
 */
final class FunnelScans {
  private FunnelScans() {}

  static void floor(AnalyticsStore store, long appId, List<String> names) throws SQLException {
    floor(store, appId, names, "user_key", false);
  }

  /**
   * The floor: one scan of the funnel's rows and a GROUP BY user (the engine's user column). The
   * rows are selected with {@code event_name IN (...)}, or with {@code list_position}, which is how
   * the native plan finds steps that are event names alone (cheaper in DuckDB than {@code IN}).
   */
  static void floor(
      AnalyticsStore store, long appId, List<String> names, String userColumn, boolean lookup)
      throws SQLException {
    String in = names.stream().map(n -> "?").collect(Collectors.joining(", "));
    String typed = names.stream().map(n -> "?::VARCHAR").collect(Collectors.joining(", "));
    String sql =
        "SELECT count(*), sum(c), sum(m) FROM (SELECT "
            + userColumn
            + ", count(*) AS c, min(event_time_ms) AS m "
            + "FROM events WHERE app_id = ? AND "
            + (lookup
                ? "list_position([" + typed + "], event_name) IS NOT NULL"
                : "event_name IN (" + in + ")")
            + " GROUP BY "
            + userColumn
            + ")";
    try (Connection c = store.openReader();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, appId);
      for (int i = 0; i < names.size(); i++) {
        ps.setString(i + 2, names.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
      }
    }
  }

  record SelfJoin(double seconds, String users, String note) {}

  /** The common formulation: join step events pairwise per user within the window. */
  static SelfJoin selfJoin(
      AnalyticsStore store, long appId, List<String> steps, Duration window, long budgetSeconds)
      throws Exception {
    String sql =
        "SELECT count(DISTINCT e1.user_key), count(DISTINCT e2.user_key), count(DISTINCT e3.user_key)\n"
            + "FROM events e1\n"
            + "LEFT JOIN events e2 ON e2.app_id = e1.app_id AND e2.user_key = e1.user_key AND e2.event_name = ?\n"
            + "  AND e2.event_time_ms >= e1.event_time_ms AND e2.event_time_ms <= e1.event_time_ms + ?\n"
            + "LEFT JOIN events e3 ON e3.app_id = e1.app_id AND e3.user_key = e1.user_key AND e3.event_name = ?\n"
            + "  AND e3.event_time_ms >= e2.event_time_ms AND e3.event_time_ms <= e1.event_time_ms + ?\n"
            + "WHERE e1.app_id = ? AND e1.event_name = ?";
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = store.openReader();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, steps.get(1));
      ps.setLong(2, window.toMillis());
      ps.setString(3, steps.get(2));
      ps.setLong(4, window.toMillis());
      ps.setLong(5, appId);
      ps.setString(6, steps.get(0));
      long s = System.nanoTime();
      Future<String> f =
          pool.submit(
              () -> {
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getLong(1) + " / " + rs.getLong(2) + " / " + rs.getLong(3);
                }
              });
      try {
        String users = f.get(budgetSeconds, TimeUnit.SECONDS);
        return new SelfJoin(
            (System.nanoTime() - s) / 1e9, users, "same users as the funnel: see row above");
      } catch (TimeoutException e) {
        ps.cancel();
        try {
          f.get(60, TimeUnit.SECONDS);
        } catch (Exception cancelled) {
          // expected: the query was interrupted
        }
        return new SelfJoin(Double.NaN, "-", "cancelled after the " + budgetSeconds + " s budget");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
