package io.tracetics.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FilterOp;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.TrendInterval;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The planner is pure, so its output is pinned: each representative query's SQL and bound values
 * are compared with a file under src/test/resources/io/tracetics/engine/plan/. After an intended
 * change, regenerate with {@code -Dtracetics.updateSnapshots=true} and review the diff.
 */
class FunnelPlannerSnapshotTest {
  private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-02-01T00:00:00Z");
  private final FunnelPlanner planner = new FunnelPlanner();

  /** Three steps with filters, a 7-day window and an entry range. */
  private static FunnelQuery.Builder filtersAndRange() {
    return FunnelQuery.builder(7)
        .step("visited_pricing", PropertyFilter.eq("plan", "pro"))
        .step("signup", PropertyFilter.compare("age", FilterOp.GTE, 18))
        .step("purchase", PropertyFilter.in("currency", "EUR", "USD"))
        .window(Duration.ofDays(7))
        .range(FROM, TO);
  }

  @Test
  void orderedWithFiltersAndRange() throws IOException {
    snapshot("ordered_filters_range", planner.plan(filtersAndRange().build()));
  }

  /** The same funnel with a breakdown, planned for a store that has the native aggregate. */
  @Test
  void nativeWithFiltersRangeAndBreakdown() throws IOException {
    FunnelQuery q = filtersAndRange().breakdown(Breakdown.of("source")).build();
    FunnelPlanner nativePlanner = new FunnelPlanner(true);
    assertTrue(nativePlanner.usesNativePlan(q));
    assertFalse(planner.usesNativePlan(q));
    snapshot("native_filters_range_breakdown", nativePlanner.plan(q));
  }

  /** Steps that are event names alone, with an entry range: the names-only event selection. */
  @Test
  void nativeNamesOnly() throws IOException {
    FunnelQuery q =
        FunnelQuery.builder(7)
            .step("view")
            .step("cart")
            .step("buy")
            .window(Duration.ofHours(1))
            .range(FROM, TO)
            .build();
    FunnelPlanner nativePlanner = new FunnelPlanner(true);
    assertTrue(nativePlanner.usesNativePlan(q));
    snapshot("native_names_only", nativePlanner.plan(q));
  }

  /** view -> cart -> buy, buy within 10 minutes of cart, 1-hour window. */
  private static FunnelQuery.Builder withinLimit() {
    return FunnelQuery.builder(7)
        .step("view")
        .step("cart")
        .step(FunnelStep.of("buy").within(Duration.ofMinutes(10)))
        .window(Duration.ofHours(1));
  }

  /** Step time limits on the fast plan: the limit's running max, whole runs, the chain's times. */
  @Test
  void fastWithAStepTimeLimit() throws IOException {
    FunnelQuery q = withinLimit().build();
    assertTrue(FunnelPlanner.usesFastPlan(q));
    snapshot("fast_within", planner.plan(q));
  }

  /** ... and on the native plan: the aggregate's within_ms list. */
  @Test
  void nativeWithAStepTimeLimit() throws IOException {
    FunnelPlanner nativePlanner = new FunnelPlanner(true);
    FunnelQuery q = withinLimit().build();
    assertTrue(nativePlanner.usesNativePlan(q));
    snapshot("native_within", nativePlanner.plan(q));
  }

  /** ... and on the general plan (an exclusion): ordered chains searched over every state. */
  @Test
  void orderedWithAStepTimeLimitAndAnExclusion() throws IOException {
    FunnelQuery q = withinLimit().exclude(Exclusion.of("refund", 1, 2)).build();
    assertFalse(FunnelPlanner.usesFastPlan(q));
    snapshot("ordered_within_exclusion", planner.plan(q));
  }

  /** A limit the aggregate cannot hold (over 2^31 ms and not whole seconds) takes the SQL plan. */
  @Test
  void nativeOnlyForLimitsTheAggregateHolds() {
    FunnelPlanner nativePlanner = new FunnelPlanner(true);
    Duration month = Duration.ofDays(30);
    assertTrue(nativePlanner.usesNativePlan(longWindowWithin(month)));
    assertFalse(nativePlanner.usesNativePlan(longWindowWithin(month.plusMillis(1))));
  }

  private static FunnelQuery longWindowWithin(Duration limit) {
    return FunnelQuery.builder(7)
        .window(Duration.ofDays(3660))
        .step("a")
        .step(FunnelStep.of("b").within(limit))
        .build();
  }

  /** Windows the aggregate cannot hold (over 2^31 ms and not whole seconds) take the SQL plan. */
  @Test
  void nativeOnlyForWindowsTheAggregateHolds() {
    FunnelPlanner nativePlanner = new FunnelPlanner(true);
    FunnelQuery.Builder q = FunnelQuery.builder(7).step("a").step("b");
    assertTrue(nativePlanner.usesNativePlan(q.window(Duration.ofDays(3660)).build()));
    assertTrue(nativePlanner.usesNativePlan(q.window(Duration.ofMillis((1L << 31) - 1)).build()));
    assertFalse(
        nativePlanner.usesNativePlan(q.window(Duration.ofDays(30).plusMillis(500)).build()));
  }

  @Test
  void strictWithExclusionAndHoldConstant() throws IOException {
    FunnelQuery q =
        FunnelQuery.builder(7)
            .order(OrderMode.STRICT)
            .step("cart")
            .step("checkout")
            .step("paid")
            .exclude(Exclusion.of("cancel", 0, 2))
            .holdConstant("order_id")
            .build();
    snapshot("strict_exclusion_hold", planner.plan(q));
  }

  @Test
  void orderedRepeatedEventBreakdownTrend() throws IOException {
    FunnelQuery q =
        FunnelQuery.builder(7)
            .step("pageview", PropertyFilter.contains("url", "/pricing"))
            .step("pageview")
            .step("signup")
            .breakdown(new Breakdown("source", 5))
            .trend(TrendInterval.WEEK)
            .build();
    snapshot("ordered_repeated_breakdown_trend", planner.plan(q));
  }

  @Test
  void unordered() throws IOException {
    FunnelQuery q =
        FunnelQuery.builder(7)
            .order(OrderMode.UNORDERED)
            .step("a")
            .step("b", PropertyFilter.isSet("x"))
            .step("b")
            .window(Duration.ofHours(1))
            .range(FROM, TO)
            .build();
    snapshot("unordered", planner.plan(q));
  }

  /** Counting accounts on the native aggregate, with a breakdown: one group per account. */
  @Test
  void nativeCountByWithBreakdown() throws IOException {
    FunnelQuery q =
        FunnelQuery.builder(7)
            .step("view")
            .step("cart")
            .step("buy")
            .window(Duration.ofHours(1))
            .range(FROM, TO)
            .breakdown(Breakdown.of("plan"))
            .countBy("account_id")
            .build();
    FunnelPlanner nativePlanner = new FunnelPlanner(true);
    assertTrue(nativePlanner.usesNativePlan(q));
    snapshot("native_count_by_breakdown", nativePlanner.plan(q));
  }

  /** Counting accounts on the general plan: a unit's events break its strict chains. */
  @Test
  void strictCountByWithExclusionAndRange() throws IOException {
    FunnelQuery q =
        FunnelQuery.builder(7)
            .order(OrderMode.STRICT)
            .step("cart")
            .step("checkout")
            .step("paid")
            .exclude(Exclusion.of("cancel", 0, 2))
            .range(FROM, TO)
            .trend(TrendInterval.DAY)
            .countBy("account_id")
            .build();
    snapshot("strict_count_by_exclusion_range", planner.plan(q));
  }

  @Test
  void userTextNeverReachesTheSqlText() {
    String evil = "x'); DROP TABLE events; --";
    FunnelQuery q =
        FunnelQuery.builder(7)
            .step(evil, PropertyFilter.eq(evil, evil))
            .step("b", PropertyFilter.in(evil, evil))
            .breakdown(Breakdown.of(evil))
            .holdConstant(evil)
            .countBy(evil)
            .build();
    FunnelPlan plan = planner.plan(q);
    assertFalse(plan.stepsSql().contains("DROP"), "user text must only be bound");
    assertTrue(plan.stepsParams().contains(evil));
    assertTrue(plan.stepsParams().contains("/" + evil));
    assertEquals(plan.stepsSql().chars().filter(c -> c == '?').count(), plan.stepsParams().size());
  }

  @Test
  void pointerEscapesSlashAndTilde() {
    assertEquals("/a~1b~0c", FunnelPlanner.pointer("a/b~c"));
  }

  @Test
  void samePlanForTheSameQuery() {
    FunnelQuery q = FunnelQuery.builder(1).step("a").step("b").build();
    assertEquals(planner.plan(q), planner.plan(q));
  }

  private static void snapshot(String name, FunnelPlan plan) throws IOException {
    String text = render(plan);
    assertEquals(plan.stepsSql().chars().filter(c -> c == '?').count(), plan.stepsParams().size());
    Path source = Path.of("src/test/resources/io/tracetics/engine/plan/" + name + ".sql.txt");
    if (Boolean.getBoolean("tracetics.updateSnapshots")) {
      Files.writeString(source, text);
      return;
    }
    try (InputStream in = FunnelPlannerSnapshotTest.class.getResourceAsStream(name + ".sql.txt")) {
      String expected =
          in == null
              ? Files.readString(source)
              : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(expected, text, "planner output changed for " + name);
    }
  }

  private static String render(FunnelPlan plan) {
    StringBuilder sb =
        new StringBuilder("-- steps query\n").append(plan.stepsSql()).append("\n-- params\n");
    sb.append(
        plan.stepsParams().stream()
            .map(p -> p.getClass().getSimpleName() + " " + p)
            .collect(Collectors.joining("\n")));
    plan.trendSql()
        .ifPresent(
            t -> {
              sb.append("\n-- trend query\n").append(t).append("\n-- params\n");
              sb.append(
                  plan.trendParams().stream()
                      .map(p -> p.getClass().getSimpleName() + " " + p)
                      .collect(Collectors.joining("\n")));
            });
    return sb.append('\n').toString();
  }
}
