package io.tracetics.engine.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import io.tracetics.engine.store.StoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The persons relation and events.person_id, as identifies leave them. */
class PersonsRelationTest {
  static final long APP = 1;
  static final long OTHER = 2;
  static final long T = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  @Test
  void identifiesShowInPersonsAndInEventsPersonId() {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load(
          "s",
          1,
          List.of(
              new EventRow(1, APP, "anon", "viewed_pricing", T, T, null),
              new EventRow(2, APP, "u", "signed_up", T + 60_000, T + 60_000, null),
              new EventRow(3, APP, "solo", "visit", T + 5_000, T + 5_000, null),
              new EventRow(4, OTHER, "anon", "secret", T, T, null)),
          List.of(
              new IdentityLink(APP, null, "anon", "{\"utm\":\"ads\",\"plan\":\"free\"}"),
              new IdentityLink(APP, "anon", "u", "{\"plan\":\"pro\"}"),
              new IdentityLink(APP, null, "u", "{\"seats\":3}"),
              new IdentityLink(APP, null, "u", "{\"seats\":null}")),
          r -> {});
      assertEquals(1, store.watermark(APP).identityVersion());
      assertEquals(0, store.watermark(OTHER).identityVersion());
      ReadOnlySqlRunner runner =
          new ReadOnlySqlRunner(store, new ExploreLimits(Duration.ofSeconds(5), 100, 2, 5000));
      assertEquals(
          List.of(List.of(1L, "anon", "u"), List.of(2L, "u", "u"), List.of(3L, "solo", "solo")),
          run(runner, "SELECT event_id, user_identifier, person_id FROM events ORDER BY 1"));
      assertEquals(
          List.of(
              List.of("solo", "null", "[solo]", "2026-01-01 00:00:05", "2026-01-01 00:00:05"),
              List.of(
                  "u",
                  "{\"utm\":\"ads\",\"plan\":\"pro\"}",
                  "[u, anon]",
                  "2026-01-01 00:00:00",
                  "2026-01-01 00:01:00")),
          run(
              runner,
              "SELECT person_id, coalesce(CAST(traits AS VARCHAR), 'null'),"
                  + " CAST(identifiers AS VARCHAR), CAST(first_seen AS VARCHAR),"
                  + " CAST(last_seen AS VARCHAR) FROM persons ORDER BY 1"));
      assertEquals(
          List.of(List.of("pro")),
          run(runner, "SELECT traits->>'plan' FROM persons WHERE person_id = 'u'"));

      // A replayed load changes nothing; the next one that sets traits is a new version.
      store.load(
          "s", 1, List.of(), List.of(new IdentityLink(APP, null, "u", "{\"plan\":null}")), r -> {});
      assertEquals(1, store.watermark(APP).identityVersion());
      store.load(
          "s", 2, List.of(), List.of(new IdentityLink(APP, null, "u", "{\"plan\":null}")), r -> {});
      assertEquals(2, store.watermark(APP).identityVersion());
      assertEquals(
          List.of(List.of("{\"utm\":\"ads\"}")),
          run(runner, "SELECT CAST(traits AS VARCHAR) FROM persons WHERE person_id = 'u'"));
      // Traits that change nothing are no new version.
      store.load(
          "s",
          3,
          List.of(),
          List.of(new IdentityLink(APP, null, "u", "{\"utm\":\"ads\"}")),
          r -> {});
      assertEquals(2, store.watermark(APP).identityVersion());
    }
  }

  private static List<List<Object>> run(ReadOnlySqlRunner runner, String query) {
    try (ExploreResult result = runner.open(APP, query)) {
      List<List<Object>> out = new ArrayList<>();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < result.columns().size(); i++) {
          Object v = result.value(i);
          row.add(v instanceof Number n ? (Object) n.longValue() : String.valueOf(v));
        }
        out.add(row);
      }
      return out;
    }
  }
}
