package io.tracetics.engine.exec;

import io.tracetics.engine.plan.FunnelPlan;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.StoreException;
import io.tracetics.engine.store.Watermark;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link FunnelPlan} on a DuckDB connection and maps the rows to a {@link FunnelResult}. The
 * watermark and all statements run in one transaction, so they see the same snapshot.
 */
public final class FunnelExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(FunnelExecutor.class);
  private final Clock clock;

  public FunnelExecutor() {
    this(Clock.systemUTC());
  }

  public FunnelExecutor(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /** Runs on a fresh reader connection of {@code store}. */
  public FunnelResult execute(AnalyticsStore store, FunnelPlan plan) {
    try (Connection c = store.openReader()) {
      return execute(c, plan);
    } catch (SQLException e) {
      throw new StoreException("funnel query failed", e);
    }
  }

  /**
   * Runs on {@code connection} (left open, auto-commit restored). A plan whose native aggregate
   * gives up ({@link FunnelPlan#GAVE_UP_COLUMN}) runs again on its SQL fallback, in a new
   * transaction.
   *
   * @throws IllegalStateException when the aggregate gives up and the plan has no fallback
   */
  public FunnelResult execute(Connection connection, FunnelPlan plan) throws SQLException {
    Optional<FunnelResult> result = run(connection, plan);
    if (result.isPresent()) {
      return result.get();
    }
    if (plan.fallback().isEmpty()) {
      throw new IllegalStateException(
          "the native funnel aggregate gave up and the plan has no fallback");
    }
    LOG.warn(
        "Funnel of app {}: the native aggregate could not get the memory it needs; running the SQL"
            + " plan",
        plan.query().appId());
    return run(connection, plan.fallback().get())
        .orElseThrow(() -> new IllegalStateException("a funnel's fallback plan gave up"));
  }

  /** The result, or empty when the native aggregate gave up. */
  private Optional<FunnelResult> run(Connection connection, FunnelPlan plan) throws SQLException {
    Instant computedAt = clock.instant();
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      Watermark watermark = AnalyticsStore.watermark(connection, plan.query().appId());
      List<Row> rows = new ArrayList<>();
      boolean gaveUp = false;
      boolean units = plan.query().countsUnits();
      Optional<CountBy> countBy = Optional.empty();
      try (PreparedStatement ps = prepare(connection, plan.stepsSql(), plan.stepsParams());
          ResultSet rs = ps.executeQuery()) {
        boolean alternatives = hasColumn(rs, FunnelPlan.ALTERNATIVES_COLUMN);
        while (rs.next()) {
          gaveUp |= rs.getBoolean(FunnelPlan.GAVE_UP_COLUMN);
          if (units && countBy.isEmpty()) {
            countBy =
                Optional.of(
                    new CountBy(
                        plan.query().countBy().get(), rs.getLong(FunnelPlan.UNASSIGNED_COLUMN)));
          }
          if (rs.getObject("k") != null) {
            rows.add(readRow(rs, alternatives));
          }
        }
      }
      if (gaveUp) {
        connection.rollback();
        return Optional.empty();
      }
      List<TrendPoint> trends = new ArrayList<>();
      if (plan.trendSql().isPresent()) {
        try (PreparedStatement ps = prepare(connection, plan.trendSql().get(), plan.trendParams());
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Timestamp ts = rs.getTimestamp(1);
            LocalDate period = ts.toLocalDateTime().toLocalDate();
            long entered = rs.getLong(2);
            long completed = rs.getLong(3);
            trends.add(new TrendPoint(period, entered, completed, ratio(completed, entered)));
          }
        }
      }
      connection.commit();
      if (units && countBy.isEmpty()) {
        throw new IllegalStateException("a plan counting units gave no row");
      }
      return Optional.of(assemble(plan.query(), rows, trends, computedAt, watermark, countBy));
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(auto);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
    return ps;
  }

  /** One output row: a (group, step) cell. */
  private record Row(
      boolean inGroup,
      String value,
      boolean other,
      int step,
      long users,
      OptionalDouble median,
      OptionalDouble p90,
      OptionalDouble mean,
      long[] hist,
      long[] alternatives) {}

  private static boolean hasColumn(ResultSet rs, String name) throws SQLException {
    var meta = rs.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      if (meta.getColumnName(i).equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static long[] longs(Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    Object[] values = (Object[]) array.getArray();
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = ((Number) values[i]).longValue();
    }
    return out;
  }

  private static Row readRow(ResultSet rs, boolean alternatives) throws SQLException {
    long[] h = longs(rs.getArray("hist"));
    return new Row(
        rs.getBoolean("in_group"),
        rs.getString("bval"),
        rs.getBoolean("bother"),
        rs.getInt("k"),
        rs.getLong("users"),
        optDouble(rs, "median_s"),
        optDouble(rs, "p90_s"),
        optDouble(rs, "mean_s"),
        h,
        alternatives ? longs(rs.getArray(FunnelPlan.ALTERNATIVES_COLUMN)) : null);
  }

  private static OptionalDouble optDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  private FunnelResult assemble(
      FunnelQuery q,
      List<Row> rows,
      List<TrendPoint> trends,
      Instant computedAt,
      Watermark wm,
      Optional<CountBy> countBy) {
    List<Row> overall = new ArrayList<>();
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    Map<String, Row> groupKeys = new LinkedHashMap<>();
    for (Row r : rows) {
      if (!r.inGroup()) {
        overall.add(r);
      } else {
        String key =
            (r.other() ? "O:" : r.value() == null ? "N:" : "V:") + Objects.toString(r.value(), "");
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        groupKeys.putIfAbsent(key, r);
      }
    }
    List<BreakdownGroup> breakdowns = new ArrayList<>();
    groups.forEach(
        (key, groupRows) -> {
          Row first = groupKeys.get(key);
          breakdowns.add(
              new BreakdownGroup(
                  first.other() ? null : first.value(), first.other(), steps(q, groupRows, true)));
        });
    // "other" last; the SQL orders named groups by value, reorder by users at step 1 then value.
    breakdowns.sort(
        (x, y) -> {
          if (x.other() != y.other()) {
            return x.other() ? 1 : -1;
          }
          int byUsers = Long.compare(y.steps().get(0).users(), x.steps().get(0).users());
          if (byUsers != 0) {
            return byUsers;
          }
          if (x.value() == null || y.value() == null) {
            return x.value() == null ? (y.value() == null ? 0 : 1) : -1;
          }
          return x.value().compareTo(y.value());
        });
    return new FunnelResult(steps(q, overall, false), breakdowns, trends, computedAt, wm, countBy);
  }

  private static List<StepResult> steps(FunnelQuery q, List<Row> rows, boolean grouped) {
    int n = q.steps().size();
    Row[] byStep = new Row[n];
    for (Row r : rows) {
      byStep[r.step()] = r;
    }
    List<StepResult> out = new ArrayList<>(n);
    long first = byStep[0] == null ? 0 : byStep[0].users();
    long previous = first;
    for (int k = 0; k < n; k++) {
      Row r = byStep[k];
      long users = r == null ? 0 : r.users();
      List<HistogramBucket> buckets = new ArrayList<>();
      List<Double> bounds = FunnelPlan.HISTOGRAM_BOUNDS;
      for (int b = 0; b < bounds.size(); b++) {
        OptionalDouble upper =
            b + 1 < bounds.size() ? OptionalDouble.of(bounds.get(b + 1)) : OptionalDouble.empty();
        buckets.add(
            new HistogramBucket(bounds.get(b), upper, r == null || k == 0 ? 0 : r.hist()[b]));
      }
      TimeToConvert ttc =
          r == null || k == 0
              ? new TimeToConvert(
                  OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), buckets)
              : new TimeToConvert(r.median(), r.p90(), r.mean(), buckets);
      FunnelStep step = q.steps().get(k);
      out.add(
          new StepResult(
              k,
              step.anyOf().get(0).eventName(),
              step.label(),
              users,
              ratio(users, first),
              k == 0 ? ratio(users, users) : ratio(users, previous),
              k == 0 ? 0 : previous - users,
              ttc,
              alternatives(q, step, r, grouped)));
      previous = users;
    }
    return out;
  }

  /**
   * The step's users per alternative: counted for the whole population of an ordered or strict
   * funnel (not per breakdown group), zero where nobody reached the step.
   */
  private static List<AlternativeCount> alternatives(
      FunnelQuery q, FunnelStep step, Row r, boolean grouped) {
    if (!step.hasAlternatives() || q.order() == OrderMode.UNORDERED || grouped) {
      return List.of();
    }
    List<AlternativeCount> out = new ArrayList<>();
    for (int a = 0; a < step.anyOf().size(); a++) {
      long users = r == null || r.alternatives() == null ? 0 : r.alternatives()[a];
      out.add(new AlternativeCount(a, step.anyOf().get(a).eventName(), users));
    }
    return out;
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0.0 : (double) part / whole;
  }
}
