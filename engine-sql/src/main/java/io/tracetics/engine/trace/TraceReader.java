package io.tracetics.engine.trace;

import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.PropertySource;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.SqlResources;
import io.tracetics.engine.store.StoreException;
import io.tracetics.engine.store.Watermark;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one person (or, for a funnel counting units, one unit) for a trace and traces it: the
 * identifier's person (an alias leads to it), its identifiers, the traits the funnel reads, and the
 * events the funnel can use, in one read transaction with the app's watermark, so the trace and its
 * watermark describe one state.
 *
 * <p>What it reads is bounded by the funnel, not by the person's history: the events of the
 * funnel's step and exclusion names (every name in strict mode, where any event can break a chain)
 * from one window before {@code from} to two windows after {@code to} (the times attempts can use,
 * plus one window on each side for candidates outside the range or the window), with only the
 * properties the funnel reads. A person with more than {@link #MAX_EVENTS} such events is refused
 * ({@link TraceTooLargeException}): a narrower date range reads fewer.
 *
 * <p>When the funnel names cohorts, the reader also reads which of them the person belongs to, its
 * member identifiers resolved to persons now as the plans' population resolves them; a person the
 * restriction leaves out is traced without reading its events (it has none the funnel counts).
 */
public final class TraceReader {
  /** The most events one trace reads. */
  public static final int MAX_EVENTS = 100_000;

  private final AnalyticsStore store;

  public TraceReader(AnalyticsStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The trace of the person {@code identifier} belongs to in the query's app, or empty when the app
   * has no such identifier. For a funnel that counts units ({@link FunnelQuery#countBy}), the trace
   * of the unit whose value is {@code identifier} instead (see {@link #readUnit}), empty when no
   * event of the app carries that value.
   *
   * @param query a valid funnel
   * @param maxCandidates how many candidates to list, 1..{@link FunnelTracer#MAX_CANDIDATES}
   * @throws TraceTooLargeException when the person has too many events in the funnel's bounds
   */
  public Optional<PersonTrace> trace(FunnelQuery query, String identifier, int maxCandidates) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(identifier, "identifier");
    try (Connection c = store.openReader()) {
      c.setAutoCommit(false);
      try {
        return query.countsUnits()
            ? readUnit(c, query, identifier, maxCandidates)
            : read(c, query, identifier, maxCandidates);
      } finally {
        c.rollback(); // read only: nothing to keep
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read a person of app " + query.appId() + " to trace", e);
    }
  }

  private Optional<PersonTrace> read(
      Connection c, FunnelQuery q, String identifier, int maxCandidates) throws SQLException {
    // The watermark first: DuckDB fixes the transaction's snapshot at its first statement.
    Watermark watermark = AnalyticsStore.watermark(c, q.appId());
    List<String> traitNames = new ArrayList<>(properties(q, PropertySource.USER));
    long personKey;
    String personId;
    Map<String, String> traits = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("trace/person"))) {
      ps.setArray(1, pointers(c, traitNames));
      ps.setLong(2, q.appId());
      ps.setString(3, identifier);
      ps.setString(4, identifier);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        personKey = rs.getLong(1);
        personId = rs.getString(2);
        putValues(traits, traitNames, rs.getArray(3));
      }
    }
    List<String> identifiers = new ArrayList<>();
    identifiers.add(personId);
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("store/person_aliases"))) {
      ps.setLong(1, q.appId());
      ps.setLong(2, personKey);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          identifiers.add(rs.getString(1));
        }
      }
    }
    Set<Long> memberOf = memberOf(c, q, personKey);
    if (!TracePopulation.of(q.cohorts(), memberOf).inPopulation()) {
      FunnelTrace outside = FunnelTracer.trace(q, List.of(), traits, memberOf, maxCandidates);
      return Optional.of(
          new PersonTrace(personId, identifier, identifiers, outside, 0, watermark, Instant.now()));
    }
    List<String> propertyNames = new ArrayList<>(properties(q, PropertySource.EVENT));
    long from = readFrom(q);
    long to = readTo(q);
    List<TraceEvent> events = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("trace/events"))) {
      ps.setArray(1, pointers(c, propertyNames));
      ps.setLong(2, q.appId());
      ps.setLong(3, personKey);
      ps.setLong(4, from);
      ps.setLong(5, to);
      ps.setBoolean(6, q.order() == OrderMode.STRICT);
      ps.setArray(7, c.createArrayOf("VARCHAR", eventNames(q).toArray()));
      ps.setLong(8, MAX_EVENTS + 1L);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (events.size() == MAX_EVENTS) {
            throw new TraceTooLargeException(
                "the person has more than "
                    + MAX_EVENTS
                    + " events in the funnel's time bounds; narrow the date range");
          }
          Map<String, String> values = new HashMap<>();
          putValues(values, propertyNames, rs.getArray(5));
          events.add(
              new TraceEvent(
                  rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), values));
        }
      }
    }
    FunnelTrace trace = FunnelTracer.trace(q, events, traits, memberOf, maxCandidates);
    return Optional.of(
        new PersonTrace(
            personId, identifier, identifiers, trace, events.size(), watermark, Instant.now()));
  }

  /**
   * A unit's trace: the events whose count_by property has the text {@code value}, whoever sent
   * them, in the same bounds as a person's, each with its own person's traits; events of persons
   * the funnel's cohorts leave out are not read (the unit is then always in the population). The
   * trace names the unit by its value ({@link PersonTrace#personId}, its only identifier).
   */
  private Optional<PersonTrace> readUnit(
      Connection c, FunnelQuery q, String value, int maxCandidates) throws SQLException {
    Watermark watermark = AnalyticsStore.watermark(c, q.appId());
    String unitPointer = FunnelPlanner.pointer(q.countBy().orElseThrow());
    List<String> propertyNames = new ArrayList<>(properties(q, PropertySource.EVENT));
    List<String> traitNames = new ArrayList<>(properties(q, PropertySource.USER));
    List<TraceEvent> events = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("trace/unit_events"))) {
      int i = 1;
      ps.setArray(i++, pointers(c, propertyNames));
      ps.setArray(i++, pointers(c, traitNames));
      ps.setLong(i++, q.appId());
      ps.setString(i++, unitPointer);
      ps.setString(i++, value);
      ps.setLong(i++, readFrom(q));
      ps.setLong(i++, readTo(q));
      ps.setBoolean(i++, q.order() == OrderMode.STRICT);
      ps.setArray(i++, c.createArrayOf("VARCHAR", eventNames(q).toArray()));
      ps.setBoolean(i++, !q.cohorts().include().isEmpty());
      ps.setLong(i++, q.appId());
      ps.setArray(i++, c.createArrayOf("BIGINT", q.cohorts().include().toArray()));
      ps.setLong(i++, q.appId());
      ps.setArray(i++, c.createArrayOf("BIGINT", q.cohorts().exclude().toArray()));
      ps.setLong(i, MAX_EVENTS + 1L);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (events.size() == MAX_EVENTS) {
            throw new TraceTooLargeException(
                "the unit has more than "
                    + MAX_EVENTS
                    + " events in the funnel's time bounds; narrow the date range");
          }
          Map<String, String> values = new HashMap<>();
          putValues(values, propertyNames, rs.getArray(5));
          Map<String, String> traits = new HashMap<>();
          putValues(traits, traitNames, rs.getArray(6));
          events.add(
              new TraceEvent(
                  rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), values, traits));
        }
      }
    }
    if (events.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(SqlResources.get("trace/unit_exists"))) {
        ps.setLong(1, q.appId());
        ps.setString(2, unitPointer);
        ps.setString(3, value);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            return Optional.empty();
          }
        }
      }
    }
    FunnelTrace trace = FunnelTracer.traceUnit(q, events, maxCandidates);
    return Optional.of(
        new PersonTrace(
            value, value, List.of(value), trace, events.size(), watermark, Instant.now()));
  }

  /** The first time a trace reads: one window before {@code from}. */
  private static long readFrom(FunnelQuery q) {
    long w = q.window().toMillis();
    return q.from().map(f -> f.toEpochMilli() - w).orElse(Long.MIN_VALUE);
  }

  /** The end (exclusive) of the times a trace reads: two windows after {@code to}. */
  private static long readTo(FunnelQuery q) {
    long w = q.window().toMillis();
    return q.to()
        .map(t -> FunnelTracer.saturatedAdd(t.toEpochMilli(), FunnelTracer.saturatedAdd(w, w)))
        .orElse(Long.MAX_VALUE);
  }

  /** The cohorts of the query's restriction the person belongs to (none asked: none). */
  private static Set<Long> memberOf(Connection c, FunnelQuery q, long personKey)
      throws SQLException {
    Set<Long> asked = new LinkedHashSet<>(q.cohorts().include());
    asked.addAll(q.cohorts().exclude());
    Set<Long> out = new HashSet<>();
    if (asked.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("trace/cohorts"))) {
      ps.setLong(1, q.appId());
      ps.setLong(2, personKey);
      ps.setArray(3, c.createArrayOf("BIGINT", asked.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** The properties the funnel reads from {@code source}: filters, hold-constant, breakdown. */
  static Set<String> properties(FunnelQuery q, PropertySource source) {
    Set<String> out = new LinkedHashSet<>();
    List<PropertyFilter> filters = new ArrayList<>();
    for (FunnelStep s : q.steps()) {
      s.anyOf().forEach(m -> filters.addAll(m.filters()));
    }
    for (Exclusion x : q.exclusions()) {
      filters.addAll(x.filters());
    }
    for (PropertyFilter f : filters) {
      if (f.source() == source) {
        out.add(f.property());
      }
    }
    if (source == PropertySource.EVENT) {
      out.addAll(q.holdConstant());
    }
    q.breakdown().filter(b -> b.source() == source).ifPresent(b -> out.add(b.property()));
    return out;
  }

  private static Set<String> eventNames(FunnelQuery q) {
    Set<String> out = new LinkedHashSet<>();
    q.steps().forEach(s -> out.addAll(s.eventNames()));
    q.exclusions().forEach(x -> out.add(x.eventName()));
    return out;
  }

  private static Array pointers(Connection c, List<String> names) throws SQLException {
    return c.createArrayOf(
        "VARCHAR", names.stream().map(FunnelPlanner::pointer).toArray(String[]::new));
  }

  private static void putValues(Map<String, String> into, List<String> names, Array values)
      throws SQLException {
    if (values == null) {
      return; // no metadata (or no traits): every property unset
    }
    Object[] texts = (Object[]) values.getArray();
    for (int i = 0; i < names.size(); i++) {
      if (texts[i] != null) {
        into.put(names.get(i), texts[i].toString());
      }
    }
  }
}
