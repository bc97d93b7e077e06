package io.tracetics.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity links through the load API: each event's person, exactly once, retroactively. */
class IdentityLoadTest {
  private static final long APP = 1;

  private static EventRow event(long id, long app, String user) {
    return new EventRow(id, app, user, "e", 1_000 * id, 1_000 * id, null);
  }

  private static IdentityLink link(String anonymous, String user) {
    return new IdentityLink(APP, anonymous, user);
  }

  /** "event id:person's identifier" for every event of {@code app}, by id. */
  private static String persons(AnalyticsStore store, long app) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = store.openReader();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT e.event_id, p.user_identifier FROM events e JOIN users p"
                    + " ON p.app_id = e.app_id AND p.user_key = e.person_key"
                    + " WHERE e.app_id = "
                    + app
                    + " ORDER BY e.event_id")) {
      while (rs.next()) {
        out.append(rs.getLong(1)).append(':').append(rs.getString(2)).append(' ');
      }
    }
    return out.toString().trim();
  }

  @Test
  void aLinkMergesPastAndLaterEventsOfTheAnonymousId() throws SQLException {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load("s", 1, List.of(event(1, APP, "anon"), event(2, APP, "anon"), event(3, APP, "u")));
      assertEquals("1:anon 2:anon 3:u", persons(store, APP));
      LoadResult linked = store.load("s", 2, List.of(), List.of(link("anon", "u")), r -> {});
      assertEquals(1, linked.merged());
      assertEquals("1:u 2:u 3:u", persons(store, APP));
      store.load("s", 3, List.of(event(4, APP, "anon")));
      assertEquals("1:u 2:u 3:u 4:u", persons(store, APP));
    }
  }

  /** Events and the link in one load; identifiers first seen in a link get their keys. */
  @Test
  void aLinkAppliesToTheEventsOfItsOwnLoadAndBeforeAnyEvent() throws SQLException {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load(
          "s",
          1,
          List.of(event(1, APP, "anon"), event(2, APP, "u")),
          List.of(link("anon", "u"), link("early", "u")),
          r -> {});
      assertEquals("1:u 2:u", persons(store, APP));
      store.load("s", 2, List.of(event(3, APP, "early")));
      assertEquals("1:u 2:u 3:u", persons(store, APP));
    }
  }

  @Test
  void theRuleHoldsAcrossLoads() throws SQLException {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load(
          "s",
          1,
          List.of(event(1, APP, "a"), event(2, APP, "b"), event(3, APP, "u"), event(4, APP, "v")),
          List.of(link("a", "u")),
          r -> {});
      // a already belongs to u; b links to the alias a, so to u; u, a person, stays one.
      LoadResult later =
          store.load(
              "s",
              2,
              List.of(),
              List.of(link("a", "v"), link("b", "a"), link("u", "v"), link("v", "v")),
              r -> {});
      assertEquals(1, later.merged());
      assertEquals("1:u 2:u 3:u 4:v", persons(store, APP));
    }
  }

  @Test
  void aReplayedLoadChangesNothing() throws SQLException {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      List<EventRow> rows = List.of(event(1, APP, "a"), event(2, APP, "u"));
      List<IdentityLink> links = List.of(link("a", "u"));
      assertEquals(1, store.load("s", 1, rows, links, r -> {}).merged());
      LoadResult again = store.load("s", 1, rows, links, r -> {});
      assertEquals(0, again.inserted());
      assertEquals(0, again.merged());
      assertEquals("1:u 2:u", persons(store, APP));
    }
  }

  @Test
  void appsAreApart() throws SQLException {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load(
          "s",
          1,
          List.of(event(1, APP, "a"), event(2, APP, "u"), event(3, 2, "a"), event(4, 2, "u")),
          List.of(link("a", "u")),
          r -> {});
      assertEquals("1:u 2:u", persons(store, APP));
      assertEquals("3:a 4:u", persons(store, 2));
    }
  }

  /** A load that fails after its links leaves no merge behind. */
  @Test
  void aFailedLoadRollsItsMergesBack() throws SQLException {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load("s", 1, List.of(event(1, APP, "a"), event(2, APP, "u")));
      assertThrows(
          IllegalStateException.class,
          () ->
              store.load(
                  "s",
                  2,
                  List.of(new EventRow(3, APP, "a", "e", 3_000, 3_000, "[1]")),
                  List.of(link("a", "u")),
                  r -> {
                    throw new IllegalStateException("recording the rejects failed");
                  }));
      assertEquals("1:a 2:u", persons(store, APP));
      assertEquals(1, store.load("s", 2, List.of(), List.of(link("a", "u")), r -> {}).merged());
      assertEquals("1:u 2:u", persons(store, APP));
    }
  }

  /** A file written before identities existed: every identifier and event is its own person. */
  @Test
  void anOlderFileGetsItsPersonKeys(@TempDir Path dir) throws SQLException {
    Path file = dir.resolve("old.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE events (event_id BIGINT NOT NULL, app_id BIGINT NOT NULL, user_key BIGINT"
              + " NOT NULL, user_identifier VARCHAR NOT NULL, event_name VARCHAR NOT NULL,"
              + " event_time_ms BIGINT NOT NULL, received_at_ms BIGINT NOT NULL, metadata JSON)");
      st.execute(
          "CREATE TABLE users (app_id BIGINT NOT NULL, user_identifier VARCHAR NOT NULL,"
              + " user_key BIGINT NOT NULL, identity_hash UHUGEINT)");
      st.execute(
          "INSERT INTO users VALUES (1, 'a', 1, md5_number('a')), (1, 'u', 2, md5_number('u'))");
      st.execute(
          "INSERT INTO events VALUES (1, 1, 1, 'a', 'e', 1000, 1000, NULL),"
              + " (2, 1, 2, 'u', 'e', 2000, 2000, NULL)");
    }
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.file(file))) {
      assertEquals("1:a 2:u", persons(store, APP));
      store.load("s", 1, List.of(event(3, APP, "a")), List.of(link("a", "u")), r -> {});
      assertEquals("1:u 2:u 3:u", persons(store, APP));
    }
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.file(file))) {
      assertEquals("1:u 2:u 3:u", persons(store, APP));
    }
  }
}
