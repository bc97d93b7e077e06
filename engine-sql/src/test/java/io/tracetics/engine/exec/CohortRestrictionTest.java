package io.tracetics.engine.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.CohortRestriction;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FilterOp;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.CohortChange;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import io.tracetics.engine.store.StoreConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Cohorts through the load API and the funnel plans: a restricted funnel counts exactly the persons
 * the cohorts let in, in every plan (general, latest-start with and without filters, native), with
 * membership resolved when the funnel runs.
 */
class CohortRestrictionTest {
  private static final long APP = 7;

  /** Users a, b, c, d and e each do A then B (e also a C between, for exclusions). */
  private static List<EventRow> events() {
    List<EventRow> rows = new ArrayList<>();
    long id = 1;
    for (String user : List.of("a", "b", "c", "d", "e")) {
      rows.add(new EventRow(id++, APP, user, "A", 1_000, 1_000, "{\"p\":\"x\"}"));
      rows.add(new EventRow(id++, APP, user, "B", 2_000, 2_000, "{\"p\":\"x\"}"));
    }
    // Another app with the same identifiers and cohort ids of its own.
    rows.add(new EventRow(id++, APP + 1, "a", "A", 1_000, 1_000, null));
    return rows;
  }

  /** The shapes that reach each plan: fast names-only, fast filtered, general, with traits. */
  private static final List<Function<FunnelQuery.Builder, FunnelQuery.Builder>> SHAPES =
      List.of(
          b -> b,
          b -> b.globalFilter(new PropertyFilter("p", FilterOp.EQ, List.of("x"))),
          b -> b.exclude(new Exclusion("C", List.of(), 0, 1)),
          b -> b.order(OrderMode.UNORDERED),
          b -> b.globalFilter(new PropertyFilter("p", FilterOp.IS_NOT_SET, List.of()).onUser()));

  private static FunnelQuery.Builder funnel() {
    return FunnelQuery.builder(APP).step("A").step("B");
  }

  /** Users converting to B in every shape (all shapes must agree). */
  private static long converted(AnalyticsStore store, CohortRestriction cohorts) {
    Long seen = null;
    for (Function<FunnelQuery.Builder, FunnelQuery.Builder> shape : SHAPES) {
      FunnelQuery q = shape.apply(funnel()).cohorts(cohorts).build();
      long[] users = FunnelHarness.run(store, q).users();
      assertEquals(users[0], users[1], () -> "everyone who starts converts: " + q);
      if (seen != null) {
        assertEquals(seen.longValue(), users[1], () -> "shape disagrees: " + q);
      }
      seen = users[1];
    }
    return seen;
  }

  private static AnalyticsStore loaded() {
    AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory());
    store.load(
        "s",
        1,
        events(),
        List.of(),
        List.of(
            CohortChange.created(APP, 1, List.of("a", "b")),
            CohortChange.created(APP, 2, List.of("b", "c", "never-seen")),
            CohortChange.created(APP + 1, 3, List.of("a"))),
        r -> {});
    return store;
  }

  @Test
  void includeCountsTheMembersOfAnyIncludedCohort() {
    try (AnalyticsStore store = loaded()) {
      assertEquals(5, converted(store, CohortRestriction.NONE));
      assertEquals(2, converted(store, new CohortRestriction(Set.of(1L), Set.of())));
      assertEquals(3, converted(store, new CohortRestriction(Set.of(1L, 2L), Set.of())));
      // Another app's cohort has no members here.
      assertEquals(0, converted(store, new CohortRestriction(Set.of(3L), Set.of())));
    }
  }

  @Test
  void excludeLeavesOutTheMembersOfEveryExcludedCohort() {
    try (AnalyticsStore store = loaded()) {
      assertEquals(3, converted(store, new CohortRestriction(Set.of(), Set.of(1L))));
      assertEquals(2, converted(store, new CohortRestriction(Set.of(), Set.of(1L, 2L))));
      assertEquals(1, converted(store, new CohortRestriction(Set.of(2L), Set.of(1L))));
      assertEquals(5, converted(store, new CohortRestriction(Set.of(), Set.of(3L, 99L))));
    }
  }

  /** Membership resolves when the funnel runs: an id merged after the cohort brings its person. */
  @Test
  void aLaterMergeAppliesToMembership() {
    try (AnalyticsStore store = loaded()) {
      store.load("s", 2, List.of(), List.of(new IdentityLink(APP, "never-seen", "d")), r -> {});
      assertEquals(4, converted(store, new CohortRestriction(Set.of(1L, 2L), Set.of())));
      // An id merged into a member's person after the cohort was made is that person: e joins a.
      store.load("s", 3, List.of(), List.of(new IdentityLink(APP, "e", "a")), r -> {});
      assertEquals(4, converted(store, CohortRestriction.NONE));
      assertEquals(2, converted(store, new CohortRestriction(Set.of(1L), Set.of())));
      assertEquals(0, converted(store, new CohortRestriction(Set.of(), Set.of(1L, 2L))));
    }
  }

  @Test
  void aDeletionRemovesTheMembersAndReplaysChangeNothing() throws SQLException {
    try (AnalyticsStore store = loaded()) {
      store.load("s", 2, List.of(), List.of(), List.of(CohortChange.deleted(APP, 1)), r -> {});
      assertEquals(0, converted(store, new CohortRestriction(Set.of(1L), Set.of())));
      assertEquals(5, converted(store, new CohortRestriction(Set.of(), Set.of(1L))));
      // A replayed load (no higher position) applies nothing: the cohort stays deleted.
      store.load(
          "s",
          2,
          List.of(),
          List.of(),
          List.of(CohortChange.created(APP, 1, List.of("a"))),
          r -> {});
      assertEquals(0, converted(store, new CohortRestriction(Set.of(1L), Set.of())));
      // A creation applied again replaces the cohort's rows instead of adding to them.
      store.load(
          "s",
          3,
          List.of(),
          List.of(),
          List.of(CohortChange.created(APP, 2, List.of("b", "c", "never-seen"))),
          r -> {});
      assertEquals(3, memberRows(store, 2));
      assertEquals(2, converted(store, new CohortRestriction(Set.of(2L), Set.of())));
    }
  }

  @Test
  void onlyRestrictedFunnelsReadCohorts() {
    for (Function<FunnelQuery.Builder, FunnelQuery.Builder> shape : SHAPES) {
      FunnelQuery plain = shape.apply(funnel()).build();
      FunnelQuery restricted =
          shape.apply(funnel()).cohorts(new CohortRestriction(Set.of(1L), Set.of(2L))).build();
      assertFalse(new FunnelPlanner().plan(plain).stepsSql().contains("cohort_members"));
      assertTrue(new FunnelPlanner().plan(restricted).stepsSql().contains("cohort_members"));
      assertTrue(new FunnelPlanner(true).plan(restricted).stepsSql().contains("cohort_members"));
    }
  }

  @Test
  void restrictionsAreSetsInIdOrder() {
    CohortRestriction r = new CohortRestriction(Set.of(3L, 1L, 2L), Set.of());
    assertArrayEquals(new Object[] {1L, 2L, 3L}, r.include().toArray());
    assertTrue(CohortRestriction.NONE.isEmpty());
    assertFalse(r.isEmpty());
  }

  private static long memberRows(AnalyticsStore store, long cohort) throws SQLException {
    try (Connection c = store.openReader();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM cohort_members WHERE cohort_id = " + cohort)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
