package io.tracetics.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one person of an app: an identifier (the person's own or an alias) resolved to its person,
 * the person's identifiers, traits, first and last seen, and its events newest first, a page at a
 * time. Everything comes from one read transaction on a reader connection, so the page, the counts
 * and the watermark's identity version describe the same state of the store.
 */
public final class PersonLookup {
  /** The largest page of events one call returns. */
  public static final int MAX_EVENTS = 1000;

  private final AnalyticsStore store;

  public PersonLookup(AnalyticsStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The person {@code identifier} belongs to in app {@code appId}, with its newest {@code
   * eventLimit} events before {@code before} ({@link EventCursor#START} for the newest); empty when
   * the app has no such identifier.
   *
   * @throws IllegalArgumentException when {@code eventLimit} is outside 1..{@link #MAX_EVENTS}
   */
  public Optional<PersonProfile> find(
      long appId, String identifier, int eventLimit, EventCursor before) {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(before, "before");
    if (eventLimit < 1 || eventLimit > MAX_EVENTS) {
      throw new IllegalArgumentException(
          "eventLimit must be 1.." + MAX_EVENTS + ", not " + eventLimit);
    }
    try (Connection c = store.openReader()) {
      c.setAutoCommit(false);
      try {
        return read(c, appId, identifier, eventLimit, before);
      } finally {
        c.rollback(); // read only: nothing to keep
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read a person of app " + appId, e);
    }
  }

  /**
   * Which of {@code identifiers} app {@code appId} knows: they have events or an identify named
   * them (as loaded into this store so far).
   */
  public Set<String> known(long appId, List<String> identifiers) {
    Objects.requireNonNull(identifiers, "identifiers");
    Set<String> known = new HashSet<>();
    if (identifiers.isEmpty()) {
      return known;
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT user_identifier FROM users WHERE app_id = ? AND user_identifier IN (");
    for (int i = 0; i < identifiers.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    sql.append(')');
    try (Connection c = store.openReader();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setLong(1, appId);
      for (int i = 0; i < identifiers.size(); i++) {
        ps.setString(i + 2, identifiers.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          known.add(rs.getString(1));
        }
      }
      return known;
    } catch (SQLException e) {
      throw new StoreException("cannot read the identifiers of app " + appId, e);
    }
  }

  private static Optional<PersonProfile> read(
      Connection c, long appId, String identifier, int eventLimit, EventCursor before)
      throws SQLException {
    // The watermark first: DuckDB fixes the transaction's snapshot at its first statement.
    Watermark watermark = AnalyticsStore.watermark(c, appId);
    long personKey;
    String personId;
    String traits;
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("store/person_of"))) {
      ps.setLong(1, appId);
      ps.setString(2, identifier);
      ps.setString(3, identifier);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        personKey = rs.getLong(1);
        personId = rs.getString(2);
        traits = rs.getString(3);
      }
    }
    List<String> identifiers = new ArrayList<>();
    identifiers.add(personId);
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("store/person_aliases"))) {
      ps.setLong(1, appId);
      ps.setLong(2, personKey);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          identifiers.add(rs.getString(1));
        }
      }
    }
    long eventCount;
    Optional<Instant> firstSeen;
    Optional<Instant> lastSeen;
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("store/person_summary"))) {
      ps.setLong(1, appId);
      ps.setLong(2, personKey);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        eventCount = rs.getLong(1);
        firstSeen = instant(rs, 2);
        lastSeen = instant(rs, 3);
      }
    }
    List<PersonEvent> events = new ArrayList<>();
    boolean more = false;
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("store/person_events"))) {
      ps.setLong(1, appId);
      ps.setLong(2, personKey);
      ps.setLong(3, before.eventTimeMillis());
      ps.setLong(4, before.eventTimeMillis());
      ps.setLong(5, before.eventId());
      ps.setLong(6, eventLimit + 1L); // one more than asked: whether a next page exists
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (events.size() == eventLimit) {
            more = true;
            break;
          }
          events.add(
              new PersonEvent(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  Instant.ofEpochMilli(rs.getLong(4)),
                  rs.getString(5)));
        }
      }
    }
    Optional<EventCursor> next =
        more ? Optional.of(events.get(events.size() - 1).cursor()) : Optional.empty();
    return Optional.of(
        new PersonProfile(
            personId,
            identifiers,
            traits,
            eventCount,
            firstSeen,
            lastSeen,
            events,
            next,
            watermark));
  }

  private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
