package io.tracetics.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.plan.FunnelPlan;
import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.FilterOp;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.reference.ReferenceFunnel;
import io.tracetics.engine.reference.Summary;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.StoreConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native plan on data big enough for DuckDB to aggregate in parallel (several row groups, two
 * threads, partial states combined, several blocks of users) and with one user whose events make
 * its block's array grow far past the others'. {@link FunnelHarness#run} checks it against the SQL
 * plan; the small app is also checked against the reference.
 */
class NativeFunnelPlanTest {
  private static final long BIG = 1;
  private static final long SMALL = 2;
  private static final long BASE = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static AnalyticsStore store;
  private static final List<EventRow> small = new ArrayList<>();

  @BeforeAll
  static void load() {
    store = AnalyticsStore.open(StoreConfig.inMemory());
    Assumptions.assumeTrue(store.nativeFunnel(), "no native funnel extension in this build");
    SplittableRandom random = new SplittableRandom(20261206L);
    List<EventRow> big = new ArrayList<>();
    long id = 1;
    for (int i = 0; i < 300_000; i++) {
      // One user has a third of the events (about 20,000 per step).
      String user = i % 3 == 0 ? "whale" : "u" + random.nextInt(6_000);
      big.add(event(id++, BIG, user, random));
    }
    for (int i = 0; i < 3_000; i++) {
      small.add(event(id++, SMALL, "s" + random.nextInt(150), random));
    }
    FunnelHarness.loadShuffled(store, big, 1);
    FunnelHarness.loadShuffled(store, small, 2);
  }

  private static EventRow event(long id, long app, String user, SplittableRandom random) {
    long t = BASE + random.nextLong(20 * 86_400_000L) / 1000 * 1000;
    String name = "n" + random.nextInt(5);
    // Accounts of about two users each (the whale has its own), for funnels counting them.
    String account = "a" + Math.floorMod(user.hashCode(), 2_500);
    String metadata =
        "{\"plan\":\""
            + (random.nextBoolean() ? "pro" : "free")
            + "\",\"acct\":\""
            + account
            + "\"}";
    return new EventRow(id, app, user, name, t, t, random.nextInt(4) == 0 ? null : metadata);
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
  }

  private static FunnelQuery.Builder funnel(long app, String... steps) {
    FunnelQuery.Builder b = FunnelQuery.builder(app).window(Duration.ofHours(12));
    for (String s : steps) {
      b.step(s);
    }
    return b;
  }

  @Test
  void usesTheNativePlan() {
    assertTrue(new FunnelPlanner(true).usesNativePlan(funnel(BIG, "n0", "n1").build()));
  }

  @Test
  void bigAppAgreesWithTheSqlPlan() {
    FunnelResult r = FunnelHarness.run(store, funnel(BIG, "n0", "n1", "n2", "n3").build());
    long[] users = r.users();
    assertTrue(users[0] > 5_900, "nearly every user has step-1 events");
    assertTrue(users[3] > 0 && users[3] < users[2], "some but not all users finish");
  }

  @Test
  void bigAppWithFiltersRangeAndBreakdownAgreesWithTheSqlPlan() {
    FunnelQuery q =
        funnel(BIG, "n4", "n2", "n0")
            .range(
                Instant.ofEpochMilli(BASE + 86_400_000L),
                Instant.ofEpochMilli(BASE + 10 * 86_400_000L))
            .breakdown(Breakdown.of("plan"))
            .build();
    FunnelHarness.run(store, q);
    FunnelQuery filtered =
        FunnelQuery.builder(BIG)
            .window(Duration.ofDays(2))
            .step("n1", new PropertyFilter("plan", FilterOp.EQ, List.of("pro")))
            .step("n3")
            .build();
    FunnelHarness.run(store, filtered);
  }

  /** Counting accounts: more than one block of dense unit keys, one account with a third. */
  @Test
  void bigAppCountingUnitsAgreesWithTheSqlPlan() {
    FunnelResult r =
        FunnelHarness.run(store, funnel(BIG, "n0", "n1", "n2").countBy("acct").build());
    assertTrue(r.users()[0] > 2_000, "most accounts enter: " + r.users()[0]);
    assertTrue(r.countBy().orElseThrow().unassignedEvents() > 10_000, "a quarter lack it");
    FunnelHarness.run(
        store,
        funnel(BIG, "n4", "n2")
            .countBy("acct")
            .breakdown(Breakdown.of("plan"))
            .range(Instant.ofEpochMilli(BASE), Instant.ofEpochMilli(BASE + 5 * 86_400_000L))
            .build());
  }

  /**
   * Step time limits on data big enough for DuckDB to aggregate in parallel (states combined with
   * their limits): the native plan agrees with the SQL fast plan, with and without a breakdown.
   */
  @Test
  void bigAppWithTimeLimitsAgreesWithTheSqlPlan() {
    FunnelQuery q =
        FunnelQuery.builder(BIG)
            .window(Duration.ofDays(7))
            .step("n0")
            .step(FunnelStep.of("n1").within(Duration.ofHours(20)))
            .step(FunnelStep.of("n2").within(Duration.ofDays(1)))
            .build();
    assertTrue(new FunnelPlanner(true).usesNativePlan(q));
    FunnelResult r = FunnelHarness.run(store, q);
    assertTrue(r.users()[2] > 0, "some users finish within the limits");
    FunnelResult unlimited =
        FunnelHarness.run(
            store,
            FunnelQuery.builder(BIG)
                .window(Duration.ofDays(7))
                .step("n0")
                .step("n1")
                .step("n2")
                .build());
    assertTrue(r.users()[2] < unlimited.users()[2], "the limits bite");
    FunnelHarness.run(store, q.toBuilder().breakdown(Breakdown.of("plan")).build());
  }

  /**
   * With the aggregate's memory capped (StoreConfig.nativeFunnelMemory; process-wide, restored
   * after), the native plan's answer says it gave up ({@link FunnelPlan#GAVE_UP_COLUMN}) and the
   * executor runs its SQL fallback.
   */
  @Test
  void aFunnelOverTheMemoryCapRunsOnTheSqlPlan() throws Exception {
    FunnelQuery persons = funnel(BIG, "n0", "n1", "n2").build();
    for (FunnelQuery q : List.of(persons, persons.toBuilder().countBy("acct").build())) {
      overTheCap(q);
    }
  }

  private static void overTheCap(FunnelQuery q) throws Exception {
    FunnelPlan plan = new FunnelPlanner(true).plan(q);
    FunnelPlan withoutFallback =
        new FunnelPlan(
            q,
            plan.stepsSql(),
            plan.stepsParams(),
            plan.trendSql(),
            plan.trendParams(),
            Optional.empty());
    FunnelExecutor executor = new FunnelExecutor();
    FunnelResult sql = executor.execute(store, new FunnelPlanner().plan(q));
    long defaultCap = StoreConfig.bytes(StoreConfig.DEFAULT_NATIVE_FUNNEL_MEMORY);
    try (Connection c = store.openReader();
        Statement st = c.createStatement()) {
      assertFalse(gaveUp(c, plan), "under the default cap");
      // Nothing fits; then room for a few megabytes of segments: some blocks get their memory
      // and others do not, which must give up all the same.
      for (long cap : new long[] {0, 3L << 20, 5L << 20}) {
        st.execute("SELECT tracetics_funnel_memory_cap(" + cap + ")");
        try {
          if (cap == 0) {
            assertTrue(gaveUp(c, plan), "the steps statement's answer under a cap of 0");
            assertThrows(IllegalStateException.class, () -> executor.execute(c, withoutFallback));
          }
          FunnelResult fallback = executor.execute(c, plan);
          assertEquals(Summary.of(sql).toString(), Summary.of(fallback).toString(), "cap " + cap);
        } finally {
          st.execute("SELECT tracetics_funnel_memory_cap(" + defaultCap + ")");
        }
      }
    }
  }

  /** Whether any row of {@code plan}'s steps statement says the aggregate gave up. */
  private static boolean gaveUp(Connection c, FunnelPlan plan) throws SQLException {
    boolean any = false;
    try (PreparedStatement ps = c.prepareStatement(plan.stepsSql())) {
      for (int i = 0; i < plan.stepsParams().size(); i++) {
        ps.setObject(i + 1, plan.stepsParams().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          any |= rs.getBoolean(FunnelPlan.GAVE_UP_COLUMN);
        }
      }
    }
    return any;
  }

  @Test
  void smallAppAgreesWithTheReference() {
    for (String[] steps : List.of(new String[] {"n0", "n1"}, new String[] {"n3", "n1", "n4"})) {
      FunnelQuery q = funnel(SMALL, steps).breakdown(Breakdown.of("plan")).build();
      assertEquals(
          ReferenceFunnel.evaluate(q, small).toString(),
          Summary.of(FunnelHarness.run(store, q)).toString());
    }
  }
}
