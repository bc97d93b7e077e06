package io.tracetics.engine.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.CohortChange;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import io.tracetics.engine.store.StoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cohort_members relation of tenants' SQL: the app's live cohorts, members resolved now. */
class CohortMembersRelationTest {
  static final long APP = 1;
  static final long OTHER = 2;
  static final long T = 1_767_225_600_000L;

  @Test
  void membersShowWithTheirPersonsOfTheirAppOnly() {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load(
          "s",
          1,
          List.of(
              new EventRow(1, APP, "anon", "visit", T, T, null),
              new EventRow(2, APP, "u", "signup", T, T, null),
              new EventRow(3, OTHER, "anon", "secret", T, T, null)),
          List.of(new IdentityLink(APP, "anon", "u")),
          List.of(
              CohortChange.created(APP, 10, List.of("anon", "unseen")),
              CohortChange.created(APP, 11, List.of("u")),
              CohortChange.created(OTHER, 12, List.of("anon"))),
          r -> {});
      store.load("s", 2, List.of(), List.of(), List.of(CohortChange.deleted(APP, 11)), r -> {});
      ReadOnlySqlRunner runner =
          new ReadOnlySqlRunner(store, new ExploreLimits(Duration.ofSeconds(5), 100, 2, 5000));
      assertEquals(
          List.of(List.of(10L, "anon", "u"), List.of(10L, "unseen", "null")),
          run(
              runner,
              "SELECT cohort_id, user_identifier, coalesce(person_id, 'null') FROM cohort_members"
                  + " ORDER BY 1, 2"));
      assertEquals(
          List.of(List.of(2L)),
          run(
              runner,
              "SELECT count(*) FROM events WHERE person_id IN"
                  + " (SELECT person_id FROM cohort_members WHERE cohort_id = 10)"));
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
