package io.tracetics.engine.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.EventMatch;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FilterOp;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.TrendInterval;
import io.tracetics.engine.reference.ReferenceFunnel;
import io.tracetics.engine.reference.Summary;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.StoreConfig;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-written per-user journeys (PostHog's test_journeys.py style). One case table runs in every
 * order mode with the expected users per step of each mode; every case is also checked against the
 * reference evaluator. Events are always loaded in a shuffled order.
 */
class JourneyTest {
  private static final AtomicLong APP = new AtomicLong(1000);
  private static final AtomicLong IDS = new AtomicLong(1);
  private static AnalyticsStore store;

  @BeforeAll
  static void open() {
    store = AnalyticsStore.open(StoreConfig.inMemory());
  }

  @AfterAll
  static void close() {
    store.close();
  }

  /** A journey case: events, funnel steps and window, expected users per step per mode. */
  record Case(
      String name,
      Consumer<Journeys> events,
      List<String> steps,
      double windowSeconds,
      long[] ordered,
      long[] strict,
      long[] unordered) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    List<String> abc = List.of("A", "B", "C");
    List<String> ab = List.of("A", "B");
    return Stream.of(
        new Case(
            "three steps in order",
            j -> j.user("u").at(0, "A").at(10, "B").at(20, "C"),
            abc,
            60,
            l(1, 1, 1),
            l(1, 1, 1),
            l(1, 1, 1)),
        new Case(
            "equal timestamps count as in order",
            j -> j.user("u").at(0, "C").at(0, "B").at(0, "A"),
            abc,
            60,
            l(1, 1, 1),
            l(1, 1, 1),
            l(1, 1, 1)),
        new Case(
            "steps out of order",
            j -> j.user("u").at(0, "B").at(10, "A").at(20, "C"),
            abc,
            60,
            l(1, 0, 0),
            l(1, 0, 0),
            l(1, 1, 1)),
        new Case(
            "step exactly at the window boundary",
            j -> j.user("u").at(0, "A").at(60, "B"),
            ab,
            60,
            l(1, 1),
            l(1, 1),
            l(1, 1)),
        new Case(
            "step 1 ms past the window",
            j -> j.user("u").at(0, "A").atMs(60_001, "B"),
            ab,
            60,
            l(1, 0),
            l(1, 0),
            l(1, 0)),
        new Case(
            "step 1 s past the window",
            j -> j.user("u").at(0, "A").at(61, "B"),
            ab,
            60,
            l(1, 0),
            l(1, 0),
            l(1, 0)),
        new Case(
            "repeated step events",
            j -> j.user("u").at(0, "A").at(5, "A").at(6, "A").at(10, "B"),
            ab,
            60,
            l(1, 1),
            l(1, 1),
            l(1, 1)),
        new Case(
            "other event between steps",
            j -> j.user("u").at(0, "A").at(5, "X").at(10, "B"),
            ab,
            60,
            l(1, 1),
            l(1, 0),
            l(1, 1)),
        new Case(
            "other event at the same instant as a step",
            j -> j.user("u").at(0, "A").at(10, "X").at(10, "B"),
            ab,
            60,
            l(1, 1),
            l(1, 1),
            l(1, 1)),
        new Case(
            "other event at the same instant as step 1",
            j -> j.user("u").at(0, "X").at(0, "A").at(10, "B"),
            ab,
            60,
            l(1, 1),
            l(1, 1),
            l(1, 1)),
        new Case(
            "same event name in two steps, one event",
            j -> j.user("u").at(0, "A"),
            List.of("A", "A"),
            60,
            l(1, 0),
            l(1, 0),
            l(1, 0)),
        new Case(
            "same event name in two steps, two events",
            j -> j.user("u").at(0, "A").at(5, "A"),
            List.of("A", "A"),
            60,
            l(1, 1),
            l(1, 1),
            l(1, 1)),
        new Case(
            "same event name, two events at one instant",
            j -> j.user("u").at(3, "A").at(3, "A"),
            List.of("A", "A", "A"),
            60,
            l(1, 1, 0),
            l(1, 1, 0),
            l(1, 1, 0)),
        new Case(
            "A B A with all at one instant",
            j -> j.user("u").at(3, "A").at(3, "B").at(3, "A"),
            List.of("A", "B", "A"),
            60,
            l(1, 1, 1),
            l(1, 1, 1),
            l(1, 1, 1)),
        new Case(
            "later attempt reaches further",
            j -> j.user("u").at(0, "A").at(20, "B").at(30, "A").at(35, "B").at(38, "C"),
            abc,
            10,
            l(1, 1, 1),
            l(1, 1, 1),
            l(1, 1, 1)),
        new Case(
            "attempt expires, next one starts",
            j -> j.user("u").at(0, "A").at(30, "A").at(35, "B").at(50, "C"),
            abc,
            10,
            l(1, 1, 0),
            l(1, 1, 0),
            l(1, 1, 0)),
        new Case(
            "strict: repeat of an earlier step breaks",
            j -> j.user("u").at(0, "A").at(5, "B").at(7, "A").at(9, "C"),
            abc,
            60,
            l(1, 1, 1),
            l(1, 1, 0),
            l(1, 1, 1)),
        new Case(
            "strict: a twin of a step and another event at the next step's instant",
            // b@1 -> a@3 -> a@4 -> b@6: d@4 shares its instant with step 3, so it never breaks
            // the chain; taking both a@3 as steps 2 and 3 instead leaves d@4 between a@3 and b@6.
            j -> j.user("u").at(1, "b").at(3, "a").at(3, "a").at(4, "a").at(4, "d").at(6, "b"),
            List.of("b", "a", "a", "b"),
            30,
            l(1, 1, 1, 1),
            l(1, 1, 1, 1),
            l(1, 1, 1, 1)),
        new Case(
            "several users",
            j -> j.user("u1").at(0, "A").at(1, "B").user("u2").at(0, "A").user("u3").at(0, "B"),
            ab,
            60,
            l(2, 1),
            l(2, 1),
            l(3, 1)));
  }

  static Stream<Arguments> casesByMode() {
    return cases().flatMap(c -> Stream.of(OrderMode.values()).map(m -> Arguments.of(c, m)));
  }

  @ParameterizedTest(name = "{0} [{1}]")
  @MethodSource("casesByMode")
  void journey(Case c, OrderMode mode) {
    Journeys j = journeys();
    c.events().accept(j);
    FunnelQuery.Builder q =
        FunnelQuery.builder(j.appId())
            .order(mode)
            .window(Duration.ofMillis(Math.round(c.windowSeconds() * 1000)));
    c.steps().forEach(s -> q.step(s));
    long[] expected =
        switch (mode) {
          case ORDERED -> c.ordered();
          case STRICT -> c.strict();
          case UNORDERED -> c.unordered();
        };
    assertArrayEquals(expected, check(j, q.build()).users());
  }

  @Test
  void timeToConvertComesFromTheChosenChain() {
    Journeys j = journeys();
    j.user("u1").at(0, "A").at(10, "B");
    j.user("u2").at(0, "A").at(20, "B");
    j.user("u3").at(0, "A").at(40, "B");
    // u4: the first attempt expires; the second converts in 5 s (not 100 s from the first A).
    j.user("u4").at(0, "A").at(100, "A").at(105, "B");
    FunnelResult r =
        check(
            j,
            FunnelQuery.builder(j.appId())
                .step("A")
                .step("B")
                .window(Duration.ofSeconds(60))
                .build());
    TimeToConvert t = r.steps().get(1).timeToConvert();
    assertEquals(15.0, t.medianSeconds().getAsDouble(), 1e-9); // 5, 10, 20, 40
    assertEquals(34.0, t.p90Seconds().getAsDouble(), 1e-9); // 20 + 0.7 * 20
    assertEquals(18.75, t.meanSeconds().getAsDouble(), 1e-9);
    assertEquals(
        List.of(0L, 1L, 3L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
        t.histogram().stream().map(HistogramBucket::users).toList());
    assertTrue(r.steps().get(0).timeToConvert().medianSeconds().isEmpty());
    assertEquals(1.0, r.steps().get(1).conversionFromFirst(), 1e-9);
    assertEquals(0, r.steps().get(1).dropOff());
  }

  @Test
  void aStepWithAlternativesCountsUsersPerAlternative() {
    Journeys j = journeys();
    j.user("web").at(0, "view").at(10, "checkout_web").at(20, "paid");
    j.user("app").at(0, "view").at(10, "checkout_app", "store", "ios").at(20, "paid");
    j.user("android").at(0, "view").at(10, "checkout_app", "store", "play");
    j.user("both at once").at(0, "view").at(10, "checkout_web").at(10, "checkout_app");
    FunnelQuery q =
        FunnelQuery.builder(j.appId())
            .step("view")
            .step(
                FunnelStep.anyOf(
                        EventMatch.of("checkout_web"),
                        EventMatch.of("checkout_app", PropertyFilter.eq("store", "ios")),
                        EventMatch.of("checkout_app", PropertyFilter.eq("store", "play")))
                    .named("checkout"))
            .step("paid")
            .window(Duration.ofSeconds(60))
            .build();
    for (OrderMode mode : List.of(OrderMode.ORDERED, OrderMode.STRICT)) {
      FunnelResult r = check(j, q.toBuilder().order(mode).build());
      assertArrayEquals(l(4, 4, 2), r.users());
      StepResult checkout = r.steps().get(1);
      assertEquals("checkout", checkout.name());
      assertEquals("checkout_web", checkout.eventName());
      // "both at once" did web and app at the moment it took the step: it counts for both.
      assertEquals(
          List.of(2L, 1L, 1L),
          checkout.alternatives().stream().map(AlternativeCount::users).toList());
      assertTrue(r.steps().get(0).alternatives().isEmpty());
    }
    FunnelResult unordered = check(j, q.toBuilder().order(OrderMode.UNORDERED).build());
    assertArrayEquals(l(4, 4, 2), unordered.users());
    assertTrue(unordered.steps().get(1).alternatives().isEmpty());
  }

  @Test
  void oneEventFillsOneStepAcrossAlternatives() {
    Journeys j = journeys();
    j.user("one A").at(0, "A");
    j.user("two A at once").at(0, "A").at(0, "A");
    j.user("A and B at once").at(0, "B").at(0, "A");
    // Strict: a second alternative of the current step is a repeat of it, not a break.
    j.user("repeat through another alternative").at(0, "A").at(1, "C").at(2, "B").at(3, "A");
    FunnelQuery q =
        FunnelQuery.builder(j.appId())
            .step(FunnelStep.anyOf(EventMatch.of("A"), EventMatch.of("B")))
            .step(FunnelStep.anyOf(EventMatch.of("C"), EventMatch.of("B")))
            .step("A")
            .window(Duration.ofSeconds(60))
            .build();
    assertArrayEquals(l(4, 2, 1), check(j, q).users());
    assertArrayEquals(l(4, 2, 1), check(j, q.toBuilder().order(OrderMode.STRICT).build()).users());
    FunnelQuery twoSteps =
        FunnelQuery.builder(j.appId())
            .step(FunnelStep.anyOf(EventMatch.of("A"), EventMatch.of("B")))
            .step("A")
            .window(Duration.ofSeconds(60))
            .build();
    // "one A": 1 step; the others 2. The last one's chosen attempt starts latest: B@2 -> A@3, so
    // it counts for the alternative B at step 1.
    FunnelResult r = check(j, twoSteps);
    assertArrayEquals(l(4, 3), r.users());
    assertEquals(
        List.of(3L, 2L),
        r.steps().get(0).alternatives().stream().map(AlternativeCount::users).toList());
  }

  @Test
  void exclusionsDiscardAttemptsInsideTheirWindow() {
    Journeys j = journeys();
    j.user("excluded between 0 and 1").at(0, "A").at(5, "X").at(10, "B").at(20, "C");
    j.user("X after step 1 is fine").at(0, "A").at(10, "B").at(15, "X").at(20, "C");
    j.user("X outside the window").at(0, "A").at(100, "X");
    j.user("X inside the window, no B").at(0, "A").at(30, "X");
    j.user("X at the same instant as step 1").at(10, "X").at(10, "A").at(20, "B");
    j.user("X at the same instant as step 2").at(0, "A").at(10, "X").at(10, "B");
    j.user("second attempt is clean").at(0, "A").at(5, "X").at(10, "B").at(20, "A").at(25, "B");
    FunnelQuery q =
        FunnelQuery.builder(j.appId())
            .step("A")
            .step("B")
            .step("C")
            .window(Duration.ofSeconds(60))
            .exclude(Exclusion.of("X", 0, 1))
            .build();
    assertArrayEquals(l(5, 4, 1), check(j, q).users());
  }

  /**
   * README "Step time limits": buy within 10 minutes of cart. The first cart is too far from buy,
   * the second is near enough; each mode and each plan (the fast ones, and the general one through
   * a hold-constant property nobody sets, which changes no chain).
   */
  @Test
  void stepTimeLimitsTakeTheStepEventThatReachesFurthest() {
    double m = 60;
    Journeys j = journeys();
    j.user("second cart").at(0, "view").at(5 * m, "cart").at(40 * m, "cart").at(48 * m, "buy");
    j.user("too late").at(0, "view").at(5 * m, "cart").at(16 * m, "buy");
    j.user("second view").at(0, "view").at(35 * m, "view").at(40 * m, "cart").at(48 * m, "buy");
    FunnelQuery.Builder q =
        FunnelQuery.builder(j.appId())
            .step("view")
            .step("cart")
            .step(FunnelStep.of("buy").within(Duration.ofMinutes(10)))
            .window(Duration.ofHours(1));
    FunnelResult ordered = check(j, q.build());
    assertArrayEquals(l(3, 3, 2), ordered.users());
    // "second cart" converts view 0:00 -> cart 0:40 -> buy 0:48 (40 min to cart), "second view"
    // from 0:35 (5 min), "too late" stops at its cart (5 min).
    assertEquals(5 * m, ordered.steps().get(1).timeToConvert().medianSeconds().getAsDouble(), 1e-9);
    assertEquals(8 * m, ordered.steps().get(2).timeToConvert().medianSeconds().getAsDouble(), 1e-9);
    assertArrayEquals(l(3, 3, 2), check(j, q.holdConstant("nobody-sets-this").build()).users());
    // Strict: the cart at 0:05 lies between view 0:00 and cart 0:40, so only a view after it
    // (0:35) reaches buy.
    FunnelQuery.Builder strict = q.order(OrderMode.STRICT);
    assertArrayEquals(l(3, 3, 1), check(j, strict.build()).users());
  }

  @Test
  void stepTimeLimitIsInclusive() {
    Journeys j = journeys();
    j.user("exactly the limit").at(0, "A").at(30, "B");
    j.user("1 ms past it").at(0, "A").atMs(30_001, "B");
    j.user("1 s past it").at(0, "A").at(31, "B");
    j.user("a later A is near enough").at(0, "A").at(10, "A").at(31, "B");
    for (OrderMode mode : List.of(OrderMode.ORDERED, OrderMode.STRICT)) {
      FunnelQuery q =
          FunnelQuery.builder(j.appId())
              .order(mode)
              .step("A")
              .step(FunnelStep.of("B").within(Duration.ofSeconds(30)))
              .window(Duration.ofSeconds(60))
              .build();
      assertArrayEquals(l(4, 2), check(j, q).users(), mode.toString());
    }
  }

  /**
   * A limit can make the chain take a later step event, which brings an excluded event into the
   * chain: without the limit A@0 -> B@10 -> C@105 is clean; with C within 10 s of B only B@100
   * reaches C, and X@50 lies between A and that B.
   */
  @Test
  void stepTimeLimitWithAnExclusion() {
    Journeys j = journeys();
    j.user("excluded with the limit").at(0, "A").at(10, "B").at(50, "X").at(100, "B").at(105, "C");
    j.user("clean").at(0, "A").at(100, "B").at(105, "C");
    FunnelQuery.Builder q =
        FunnelQuery.builder(j.appId())
            .step("A")
            .step("B")
            .step("C")
            .window(Duration.ofSeconds(200))
            .exclude(Exclusion.of("X", 0, 1));
    assertArrayEquals(l(2, 2, 2), check(j, q.build()).users());
    FunnelQuery limited =
        q.steps(
                List.of(
                    FunnelStep.of("A"),
                    FunnelStep.of("B"),
                    FunnelStep.of("C").within(Duration.ofSeconds(10))))
            .build();
    assertArrayEquals(l(1, 1, 1), check(j, limited).users());
    // Strict: B@10 breaks A@0 -> B@100, so the first user's chain is A@0 -> B@10, which X@50 does
    // not touch.
    assertArrayEquals(
        l(2, 2, 1), check(j, limited.toBuilder().order(OrderMode.STRICT).build()).users());
  }

  @Test
  void everyFilterOp() {
    Journeys j = journeys();
    j.user("eq").at(0, "pv", "plan", "pro").at(1, "buy");
    j.user("neq-unset").at(0, "pv").at(1, "buy");
    j.user("in").at(0, "pv", "plan", "team").at(1, "buy");
    j.user("contains").at(0, "pv", "plan", "Enterprise").at(1, "buy");
    j.user("gt").at(0, "pv", "n", "12").at(1, "buy");
    j.user("lte").at(0, "pv", "n", "3").at(1, "buy");
    j.user("not-a-number").at(0, "pv", "n", "abc").at(1, "buy");
    record Expect(PropertyFilter filter, long users) {}
    List<Expect> expectations =
        List.of(
            new Expect(PropertyFilter.eq("plan", "pro"), 1),
            new Expect(PropertyFilter.neq("plan", "pro"), 6), // unset counts as "not equal"
            new Expect(PropertyFilter.in("plan", "pro", "team"), 2),
            new Expect(PropertyFilter.contains("plan", "PRISE"), 1),
            new Expect(PropertyFilter.compare("n", FilterOp.GT, 10), 1),
            new Expect(PropertyFilter.compare("n", FilterOp.GTE, 12), 1),
            new Expect(PropertyFilter.compare("n", FilterOp.LT, 12), 1),
            new Expect(PropertyFilter.compare("n", FilterOp.LTE, 3), 1),
            new Expect(PropertyFilter.isSet("n"), 3),
            new Expect(PropertyFilter.isNotSet("plan"), 4));
    for (Expect e : expectations) {
      FunnelQuery q = FunnelQuery.builder(j.appId()).step("pv", e.filter()).step("buy").build();
      assertArrayEquals(l(e.users(), e.users()), check(j, q).users(), e.filter().toString());
    }
  }

  @Test
  void breakdownByStepOneProperty() {
    Journeys j = journeys();
    j.user("u1").at(0, "A", "src", "ads").at(1, "B");
    j.user("u2").at(0, "A", "src", "ads");
    j.user("u3").at(0, "A", "src", "seo").at(1, "B");
    j.user("u4").at(0, "A").at(1, "B");
    j.user("u5").at(0, "A", "src", "mail");
    FunnelQuery q =
        FunnelQuery.builder(j.appId())
            .step("A")
            .step("B")
            .breakdown(new Breakdown("src", 2))
            .build();
    FunnelResult r = check(j, q);
    assertEquals(3, r.breakdowns().size());
    assertEquals("ads", r.breakdowns().get(0).value());
    assertArrayEquals(
        l(2, 1), r.breakdowns().get(0).steps().stream().mapToLong(StepResult::users).toArray());
    assertEquals("mail", r.breakdowns().get(1).value()); // ties rank by value
    assertTrue(r.breakdowns().get(2).other());
    assertArrayEquals(
        l(2, 2), r.breakdowns().get(2).steps().stream().mapToLong(StepResult::users).toArray());
    assertFalse(r.breakdowns().get(0).other());
  }

  @Test
  void trendsByEntryDay() {
    Journeys j = journeys();
    j.user("u1").at(0, "A").at(3600, "B");
    j.user("u2").at(86_400, "A");
    j.user("u3").at(86_400 + 10, "A").at(86_400 + 20, "B");
    FunnelQuery q =
        FunnelQuery.builder(j.appId()).step("A").step("B").trend(TrendInterval.DAY).build();
    FunnelResult r = check(j, q);
    assertEquals(2, r.trends().size());
    assertEquals(LocalDate.parse("2026-01-05"), r.trends().get(0).period());
    assertEquals(1.0, r.trends().get(0).conversionRate(), 1e-9);
    assertEquals(2, r.trends().get(1).entered());
    assertEquals(1, r.trends().get(1).completed());
  }

  @Test
  void holdConstant() {
    Journeys j = journeys();
    j.user("different orders").at(0, "view", "order", "1").at(10, "pay", "order", "2");
    j.user("same order")
        .at(0, "view", "order", "1")
        .at(5, "view", "order", "2")
        .at(10, "pay", "order", "1");
    FunnelQuery q =
        FunnelQuery.builder(j.appId()).step("view").step("pay").holdConstant("order").build();
    assertArrayEquals(l(2, 1), check(j, q).users());
  }

  @Test
  void entryRangeBoundsStepOneOnly() {
    Journeys j = journeys();
    j.user("starts before from").at(5, "A").at(15, "B");
    j.user("steps run past to").at(15, "A").at(25, "B");
    j.user("starts at to").at(20, "A").at(21, "B");
    FunnelQuery q =
        FunnelQuery.builder(j.appId())
            .step("A")
            .step("B")
            .window(Duration.ofSeconds(60))
            .range(Journeys.BASE.plusSeconds(10), Journeys.BASE.plusSeconds(20))
            .build();
    assertArrayEquals(l(1, 1), check(j, q).users());
  }

  @Test
  void readmeWorkedExamples() {
    double h = 3600;
    Journeys j = journeys();
    j.user("u")
        .at(9 * h, "view")
        .at(9 * h + 600, "search")
        .at(9 * h + 1200, "cart")
        .at(9 * h + 1200, "coupon");
    j.at(9 * h + 3000, "buy").at(10 * h + 300, "buy");
    FunnelQuery.Builder q =
        FunnelQuery.builder(j.appId())
            .step("view")
            .step("cart")
            .step("buy")
            .window(Duration.ofHours(1));
    FunnelResult ordered = check(j, q.order(OrderMode.ORDERED).build());
    assertArrayEquals(l(1, 1, 1), ordered.users());
    assertEquals(
        1200.0, ordered.steps().get(1).timeToConvert().medianSeconds().getAsDouble(), 1e-9);
    assertEquals(
        1800.0, ordered.steps().get(2).timeToConvert().medianSeconds().getAsDouble(), 1e-9);
    assertArrayEquals(l(1, 0, 0), check(j, q.order(OrderMode.STRICT).build()).users());

    Journeys repeat = journeys();
    repeat
        .user("u")
        .at(9 * h, "view")
        .at(9 * h + 300, "view")
        .at(9 * h + 1200, "cart")
        .at(9 * h + 3000, "buy");
    FunnelQuery.Builder strict =
        FunnelQuery.builder(repeat.appId())
            .order(OrderMode.STRICT)
            .step("view")
            .step("cart")
            .step("buy")
            .window(Duration.ofHours(1));
    assertArrayEquals(l(1, 1, 1), check(repeat, strict.build()).users());

    Journeys any = journeys();
    any.user("u").at(9 * h, "cart").at(9 * h + 600, "buy").at(9 * h + 1800, "view");
    FunnelQuery.Builder unordered =
        FunnelQuery.builder(any.appId())
            .order(OrderMode.UNORDERED)
            .step("view")
            .step("cart")
            .step("buy")
            .window(Duration.ofHours(1));
    assertArrayEquals(l(1, 1, 1), check(any, unordered.build()).users());

    Journeys range = journeys();
    range.user("early").at(10 * h - 60, "view").at(10 * h + 300, "cart");
    range.user("late").at(11 * h - 60, "view").at(11 * h + 1800, "cart");
    FunnelQuery ranged =
        FunnelQuery.builder(range.appId())
            .step("view")
            .step("cart")
            .window(Duration.ofHours(1))
            .range(Journeys.BASE.plusSeconds(10 * 3600), Journeys.BASE.plusSeconds(11 * 3600))
            .build();
    assertArrayEquals(l(1, 1), check(range, ranged).users());
  }

  /**
   * The README's count_by example: the funnel counts accounts, whoever sent the events; events
   * without the account (absent or JSON null) are left out and counted as unassigned; in strict
   * mode another person's event of the same account breaks the chain.
   */
  @Test
  void countByCountsAccounts() {
    double h = 3600;
    Journeys j = journeys();
    j.user("alice").at(9 * h, "view", "account", "acme");
    j.user("bob").at(9 * h + 600, "cart", "account", "acme");
    j.user("carol").at(9 * h + 1200, "buy", "account", "acme");
    j.user("dave").at(9 * h, "view", "account", "beta").at(9 * h + 300, "cart");
    j.user("erin").at(9 * h + 1800, "view", "account", null);
    FunnelQuery.Builder q =
        FunnelQuery.builder(j.appId())
            .step("view")
            .step("cart")
            .step("buy")
            .window(Duration.ofHours(1))
            .countBy("account");
    FunnelResult ordered = check(j, q.build());
    assertArrayEquals(l(2, 1, 1), ordered.users());
    assertEquals(new CountBy("account", 2), ordered.countBy().orElseThrow());
    assertEquals(
        List.of("acme|[1767603600000, 1767604200000, 1767604800000]", "beta|[1767603600000]"),
        FunnelHarness.actors(store, q.build(), ActorCell.reached(0), 1).lines());

    Journeys strict = journeys();
    strict.user("alice").at(9 * h, "view", "account", "acme");
    strict.user("bob").at(9 * h + 300, "search", "account", "acme");
    strict.user("bob").at(9 * h + 600, "cart", "account", "acme");
    strict.user("carol").at(9 * h + 450, "search");
    FunnelQuery.Builder s =
        FunnelQuery.builder(strict.appId())
            .order(OrderMode.STRICT)
            .step("view")
            .step("cart")
            .window(Duration.ofHours(1))
            .countBy("account");
    FunnelResult broken = check(strict, s.build());
    assertArrayEquals(l(1, 0), broken.users());
    // Carol's search has no account: it breaks no account's chain, and fills no step.
    assertEquals(0, broken.countBy().orElseThrow().unassignedEvents());
  }

  // ------------------------------------------------------------------ helpers

  private static Journeys journeys() {
    return new Journeys(APP.incrementAndGet(), IDS.getAndAdd(1000));
  }

  /** Loads shuffled, runs, checks the full result against the reference, returns it. */
  private static FunnelResult check(Journeys j, FunnelQuery q) {
    FunnelHarness.loadShuffled(store, j.rows(), q.hashCode());
    FunnelResult r = FunnelHarness.run(store, q);
    assertEquals(
        ReferenceFunnel.evaluate(q, j.rows()).toString(),
        Summary.of(r).toString(),
        "reference disagrees");
    return r;
  }

  private static long[] l(long... v) {
    return v;
  }
}
