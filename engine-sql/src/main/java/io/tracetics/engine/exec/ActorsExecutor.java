package io.tracetics.engine.exec;

import io.tracetics.engine.plan.ActorsPlan;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.SqlResources;
import io.tracetics.engine.store.StoreException;
import io.tracetics.engine.store.Watermark;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the people of a report cell ({@link ActorsPlan}) as an {@link ActorList}: in one read
 * transaction on a fresh reader connection, the watermark, then the cell's people once into a
 * temporary table of that connection (person key or unit value, level, step times: a few dozen
 * bytes a person, in DuckDB's memory, spilled to disk under its limit), from which the size, the
 * next cursor and the page are read. The page streams from DuckDB; nothing per person stays on the
 * Java heap.
 */
public final class ActorsExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(ActorsExecutor.class);

  /** The person key before the first person (person keys are positive). */
  public static final long START = Long.MIN_VALUE;

  private final Clock clock;

  public ActorsExecutor() {
    this(Clock.systemUTC());
  }

  public ActorsExecutor(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * The people of the plan's cell after the person key {@code after} ({@link #START} or the key of
   * a {@link ActorList#nextAfter()}), at most {@code limit} of them ({@link Long#MAX_VALUE}: all);
   * for a funnel that counts persons.
   */
  public ActorList open(AnalyticsStore store, ActorsPlan plan, long after, long limit) {
    return open(
        store,
        plan,
        after == START ? Optional.empty() : Optional.of(new ActorKey.Person(after)),
        limit);
  }

  /**
   * The actors of the plan's cell after {@code after} (empty: from the first; else a {@link
   * ActorList#nextAfter()} of the same funnel: a person key, or a unit value when the funnel counts
   * units), at most {@code limit} of them ({@link Long#MAX_VALUE}: all).
   *
   * @throws IllegalArgumentException when {@code after} is of the other kind than the funnel's
   *     actors
   */
  public ActorList open(
      AnalyticsStore store, ActorsPlan plan, Optional<ActorKey> after, long limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, not " + limit);
    }
    boolean units = plan.query().countsUnits();
    if (after.isPresent() && (after.get() instanceof ActorKey.Unit) != units) {
      throw new IllegalArgumentException(
          "a " + (units ? "unit" : "person") + " list cannot continue after " + after.get());
    }
    Connection c = store.openReader();
    try {
      c.setAutoCommit(false);
      ActorList list = tryOpen(c, plan, after, limit);
      if (list != null) {
        return list;
      }
      c.rollback();
      LOG.warn(
          "Actors of a funnel of app {}: the native aggregate could not get the memory it needs;"
              + " running the SQL plan",
          plan.query().appId());
      ActorsPlan fallback =
          plan.fallback()
              .orElseThrow(() -> new IllegalStateException("a plan without fallback gave up"));
      list = tryOpen(c, fallback, after, limit);
      if (list == null) {
        throw new IllegalStateException("a funnel's fallback plan gave up");
      }
      return list;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      if (e instanceof SQLException sql) {
        throw new StoreException("a funnel's actors query failed", sql);
      }
      throw (RuntimeException) e;
    }
  }

  /** The list, or null when the native aggregate gave up (the transaction is then to roll back). */
  private ActorList tryOpen(Connection c, ActorsPlan plan, Optional<ActorKey> after, long limit)
      throws SQLException {
    Instant computedAt = clock.instant();
    long appId = plan.query().appId();
    boolean units = plan.query().countsUnits();
    // The watermark first: DuckDB fixes the transaction's snapshot at its first statement.
    Watermark watermark = AnalyticsStore.watermark(c, appId);
    try (PreparedStatement ps =
        c.prepareStatement("CREATE TEMP TABLE actor_cell AS " + plan.cellSql())) {
      for (int i = 0; i < plan.cellParams().size(); i++) {
        ps.setObject(i + 1, plan.cellParams().get(i));
      }
      ps.execute();
    }
    long total;
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("actors/summary"));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      if (rs.getBoolean("gave_up")) {
        return null;
      }
      total = rs.getLong("total");
    }
    Optional<ActorKey> next = Optional.empty();
    // A page that can hold everyone after the cursor is the last one.
    if (limit < total) {
      try (PreparedStatement ps =
          c.prepareStatement(
              SqlResources.get(units ? "actors/unit_page_end" : "actors/page_end"))) {
        int i = ActorList.bindAfter(ps, 1, after, units);
        ps.setLong(i, limit);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          Object last = rs.getObject("last_key");
          if (last != null && rs.getBoolean("more")) {
            next =
                Optional.of(
                    units
                        ? new ActorKey.Unit(rs.getString("last_key"))
                        : new ActorKey.Person(rs.getLong("last_key")));
          }
        }
      }
    }
    return new ActorList(
        c,
        appId,
        plan.query().steps().size(),
        units,
        total,
        watermark,
        computedAt,
        next,
        after,
        limit);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // the failure that led here is what matters
    }
  }
}
