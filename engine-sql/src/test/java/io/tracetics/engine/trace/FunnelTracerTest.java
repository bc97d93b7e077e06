package io.tracetics.engine.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.exec.StepLimits;
import io.tracetics.engine.query.CohortRestriction;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FilterOp;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.reference.ReferenceFunnel;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.trace.FunnelTrace.Candidate;
import io.tracetics.engine.trace.TracePopulation.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hand-made journeys, one or more per reason code: each asserts the reason and that it is true of
 * the events it names (times, values, the breaking or excluding event).
 */
class FunnelTracerTest {
  private static final long T0 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();

  private static TraceEvent ev(long id, String name, long seconds, String... props) {
    Map<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i < props.length; i += 2) {
      map.put(props[i], props[i + 1]);
    }
    return new TraceEvent(id, "u1", name, T0 + seconds * 1000, map);
  }

  private static FunnelQuery.Builder funnel(OrderMode order, String... steps) {
    FunnelQuery.Builder b = FunnelQuery.builder(1).order(order).window(Duration.ofSeconds(60));
    for (String s : steps) {
      b.step(s);
    }
    return b;
  }

  private static FunnelTrace trace(FunnelQuery q, TraceEvent... events) {
    return trace(q, Map.of(), events);
  }

  private static FunnelTrace trace(
      FunnelQuery q, Map<String, String> traits, TraceEvent... events) {
    return FunnelTracer.trace(q, List.of(events), traits, Set.of(), FunnelTracer.MAX_CANDIDATES);
  }

  private static List<Long> chainIds(FunnelTrace t) {
    return t.chosen().orElseThrow().chain().stream().map(l -> l.event().eventId()).toList();
  }

  private static Candidate only(FunnelTrace t) {
    List<Candidate> c = t.nextStep().orElseThrow().candidates();
    assertEquals(1, c.size(), c::toString);
    return c.get(0);
  }

  @Test
  void aCompleteJourneyHasNoNextStep() {
    FunnelTrace t =
        trace(
            funnel(OrderMode.ORDERED, "view", "cart", "buy").build(),
            ev(1, "view", 0),
            ev(2, "search", 10),
            ev(3, "cart", 20),
            ev(4, "buy", 50));
    assertEquals(2, t.reachedStep());
    assertEquals(List.of(1L, 3L, 4L), chainIds(t));
    assertTrue(t.nextStep().isEmpty());
  }

  @Test
  void outsideWindowSaysByHowMuchAndTheBoundaryCounts() {
    FunnelQuery q = funnel(OrderMode.ORDERED, "view", "cart").build();
    assertEquals(1, trace(q, ev(1, "view", 0), ev(2, "cart", 60)).reachedStep());

    FunnelTrace t = trace(q, ev(1, "view", 0), ev(2, "cart", 90));
    assertEquals(0, t.reachedStep());
    assertEquals(T0, t.chosen().orElseThrow().startMillis());
    Candidate c = only(t);
    assertEquals(2, c.event().eventId());
    TraceReason.OutsideWindow r = assertInstanceOf(TraceReason.OutsideWindow.class, c.reason());
    assertEquals(T0 + 60_000, r.windowEndMillis());
    assertEquals(30_000, r.excessMillis());
    assertEquals(c.event().timeMillis() - T0 - 60_000, r.excessMillis());
  }

  @Test
  void anExcludedAttemptThatGotFurtherIsNamedWithItsExcludingEvent() {
    FunnelQuery q =
        funnel(OrderMode.ORDERED, "A", "B", "C").exclude(Exclusion.of("X", 0, 1)).build();
    // Nobody counted: the only attempt is discarded.
    FunnelTrace none = trace(q, ev(1, "A", 0), ev(2, "X", 5), ev(3, "B", 10));
    assertEquals(-1, none.reachedStep());
    assertTrue(none.chosen().isEmpty());
    Candidate first = only(none);
    assertEquals(1, first.event().eventId());
    TraceReason.ExcludedBy x = assertInstanceOf(TraceReason.ExcludedBy.class, first.reason());
    assertEquals(0, x.exclusion());
    assertEquals(2, x.excluding().eventId());
    assertTrue(x.excluding().timeMillis() > x.attempt().chain().get(0).event().timeMillis());
    assertTrue(x.excluding().timeMillis() < x.attempt().chain().get(1).event().timeMillis());

    // A later clean attempt reaches step 0; the discarded one had reached B.
    FunnelTrace later = trace(q, ev(1, "A", 0), ev(2, "X", 5), ev(3, "B", 10), ev(4, "A", 20));
    assertEquals(0, later.reachedStep());
    assertEquals(List.of(4L), chainIds(later));
    Candidate b = only(later);
    assertEquals(3, b.event().eventId());
    TraceReason.ExcludedBy xb = assertInstanceOf(TraceReason.ExcludedBy.class, b.reason());
    assertEquals(2, xb.excluding().eventId());
    assertEquals(T0, xb.attempt().startMillis());
    assertEquals(2, xb.attempt().level());
  }

  @Test
  void filterMismatchNamesTheFilterAndTheValueItRead() {
    FunnelQuery q =
        funnel(OrderMode.ORDERED, "visit")
            .step("signup", PropertyFilter.in("plan", "pro", "team"))
            .build();
    FunnelTrace t = trace(q, ev(1, "visit", 0), ev(2, "signup", 10, "plan", "free"));
    assertEquals(0, t.reachedStep());
    TraceReason.FilterMismatch r =
        assertInstanceOf(TraceReason.FilterMismatch.class, only(t).reason());
    assertEquals("plan", r.filter().property());
    assertEquals(FilterOp.IN, r.filter().op());
    assertEquals(List.of("pro", "team"), r.filter().values());
    assertEquals("free", r.actual());
    assertEquals("free", only(t).event().property("plan"));

    // A filter on the person's traits reads the trait.
    FunnelQuery onTraits =
        funnel(OrderMode.ORDERED, "visit")
            .step("signup", PropertyFilter.eq("tier", "gold").onUser())
            .build();
    FunnelTrace u =
        trace(onTraits, Map.of("tier", "silver"), ev(1, "visit", 0), ev(2, "signup", 10));
    TraceReason.FilterMismatch ru =
        assertInstanceOf(TraceReason.FilterMismatch.class, only(u).reason());
    assertEquals("silver", ru.actual());
    assertEquals(
        1,
        trace(onTraits, Map.of("tier", "gold"), ev(1, "visit", 0), ev(2, "signup", 10))
            .reachedStep());
  }

  @Test
  void strictBreakNamesTheEventStrictlyBetween() {
    FunnelQuery q = funnel(OrderMode.STRICT, "view", "cart", "buy").build();
    FunnelTrace t = trace(q, ev(1, "view", 0), ev(2, "search", 10), ev(3, "cart", 20));
    assertEquals(0, t.reachedStep());
    Candidate c = only(t);
    assertEquals(3, c.event().eventId());
    TraceReason.StrictBreak r = assertInstanceOf(TraceReason.StrictBreak.class, c.reason());
    assertEquals(2, r.breaking().eventId());
    assertTrue(
        r.breaking().timeMillis() > T0 && r.breaking().timeMillis() < c.event().timeMillis());

    // A repeat of the current step does not break, nor does an event at the same instant.
    assertEquals(
        2,
        trace(
                q,
                ev(1, "view", 0),
                ev(2, "view", 5),
                ev(3, "cart", 20),
                ev(4, "coupon", 20),
                ev(5, "buy", 50))
            .reachedStep());
  }

  @Test
  void strictModeTakesALaterRepeatWhenTheEarlierOneWouldBreak() {
    // Steps b, a, a, b: filling both a steps at 3 leaves d@4 between a@3 and b@6; a@3 -> a@4 -> b@6
    // is clean.
    FunnelQuery q = funnel(OrderMode.STRICT, "b", "a", "a", "b").build();
    FunnelTrace t =
        trace(
            q,
            ev(1, "b", 1),
            ev(2, "a", 3),
            ev(3, "a", 3),
            ev(4, "a", 4),
            ev(5, "d", 4),
            ev(6, "b", 6));
    assertEquals(3, t.reachedStep());
    List<Long> times =
        t.chosen().orElseThrow().chain().stream()
            .map(l -> (l.event().timeMillis() - T0) / 1000)
            .toList();
    assertEquals(List.of(1L, 3L, 4L, 6L), times);
  }

  @Test
  void holdConstantMismatchNamesBothValues() {
    FunnelQuery q = funnel(OrderMode.ORDERED, "view", "pay").holdConstant("order").build();
    FunnelTrace t = trace(q, ev(1, "view", 0, "order", "1"), ev(2, "pay", 10, "order", "2"));
    assertEquals(0, t.reachedStep());
    TraceReason.HoldConstantMismatch r =
        assertInstanceOf(TraceReason.HoldConstantMismatch.class, only(t).reason());
    assertEquals("order", r.property());
    assertEquals("1", r.expected());
    assertEquals("2", r.actual());
    assertEquals(
        1,
        trace(
                q,
                ev(1, "view", 0, "order", "1"),
                ev(3, "view", 5, "order", "2"),
                ev(2, "pay", 10, "order", "2"))
            .reachedStep());
  }

  @Test
  void aFirstStepOutsideTheEntryRangeIsOutsideDateRange() {
    Instant from = Instant.ofEpochMilli(T0 + 3600_000);
    Instant to = from.plusSeconds(3600);
    FunnelQuery q =
        funnel(OrderMode.ORDERED, "view", "cart")
            .window(Duration.ofHours(1))
            .range(from, to)
            .build();
    FunnelTrace t = trace(q, ev(1, "view", 3599), ev(2, "cart", 3905));
    assertEquals(-1, t.reachedStep());
    assertEquals(0, t.nextStep().orElseThrow().step());
    Candidate c = only(t);
    assertEquals(1, c.event().eventId());
    TraceReason.OutsideDateRange r =
        assertInstanceOf(TraceReason.OutsideDateRange.class, c.reason());
    assertEquals(from, r.from().orElseThrow());
    assertTrue(c.event().timeMillis() < from.toEpochMilli());
    // Later steps may run past the range's end.
    assertEquals(1, trace(q, ev(1, "view", 7199), ev(2, "cart", 7230)).reachedStep());
  }

  @Test
  void anEventBeforeThePreviousStepSaysSo() {
    FunnelTrace t =
        trace(
            funnel(OrderMode.ORDERED, "view", "cart").build(), ev(1, "cart", 0), ev(2, "view", 10));
    assertEquals(0, t.reachedStep());
    TraceReason.BeforePreviousStep r =
        assertInstanceOf(TraceReason.BeforePreviousStep.class, only(t).reason());
    assertEquals(T0 + 10_000, r.previousStepMillis());
    assertTrue(only(t).event().timeMillis() < r.previousStepMillis());
  }

  @Test
  void oneEventFillsOneStep() {
    FunnelQuery q = funnel(OrderMode.ORDERED, "A", "A").build();
    FunnelTrace t = trace(q, ev(1, "A", 0));
    assertEquals(0, t.reachedStep());
    TraceReason.UsedByChain r = assertInstanceOf(TraceReason.UsedByChain.class, only(t).reason());
    assertEquals(0, r.step());
    assertEquals(1, trace(q, ev(1, "A", 0), ev(2, "A", 0)).reachedStep());
  }

  @Test
  void unorderedNamesTheFirstMissingStepAndWhatCameBeforeTheEntry() {
    FunnelQuery q = funnel(OrderMode.UNORDERED, "A", "B", "C").build();
    FunnelTrace t = trace(q, ev(1, "B", 0), ev(2, "A", 100), ev(3, "C", 110));
    assertEquals(1, t.reachedStep());
    assertEquals(T0 + 100_000, t.chosen().orElseThrow().startMillis());
    assertEquals(List.of(2L, 3L), chainIds(t));
    assertEquals(1, t.nextStep().orElseThrow().step());
    TraceReason.BeforeEntry r = assertInstanceOf(TraceReason.BeforeEntry.class, only(t).reason());
    assertEquals(T0 + 100_000, r.entryMillis());
    assertEquals(2, trace(q, ev(1, "C", 0), ev(2, "B", 10), ev(3, "A", 30)).reachedStep());
  }

  @Test
  void theLatestOfEquallyFarAttemptsIsChosen() {
    FunnelTrace t =
        trace(
            funnel(OrderMode.ORDERED, "A", "B", "C").build(),
            ev(1, "A", 0),
            ev(2, "B", 10),
            ev(3, "A", 20),
            ev(4, "B", 25));
    assertEquals(1, t.reachedStep());
    assertEquals(List.of(3L, 4L), chainIds(t));
    assertTrue(t.nextStep().orElseThrow().candidates().isEmpty());
  }

  @Test
  void candidatesAreTheNearestToWhereTheChainStopped() {
    List<TraceEvent> events = new ArrayList<>();
    events.add(ev(1, "view", 1000));
    for (int i = 0; i < 10; i++) {
      events.add(ev(10 + i, "cart", 1000 + 61 + i * 100L));
      events.add(ev(30 + i, "cart", 1000 - 1 - i * 100L));
    }
    FunnelTrace t =
        FunnelTracer.trace(
            funnel(OrderMode.ORDERED, "view", "cart").build(), events, Map.of(), Set.of(), 3);
    List<Candidate> c = t.nextStep().orElseThrow().candidates();
    assertEquals(List.of(30L, 10L, 31L), c.stream().map(x -> x.event().eventId()).toList());
    assertEquals(ReasonCode.BEFORE_PREVIOUS_STEP, c.get(0).reason().code());
    assertEquals(ReasonCode.OUTSIDE_WINDOW, c.get(1).reason().code());
  }

  @Test
  void aPersonWithoutEventsNeverEntered() {
    FunnelTrace t = trace(funnel(OrderMode.ORDERED, "view", "cart").build());
    assertEquals(-1, t.reachedStep());
    assertEquals(0, t.nextStep().orElseThrow().step());
    assertTrue(t.nextStep().orElseThrow().candidates().isEmpty());
  }

  @Test
  void tooMuchWorkIsRefusedNotGuessed() {
    List<TraceEvent> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(ev(i, "A", i));
    }
    FunnelQuery q = funnel(OrderMode.STRICT, "A", "A", "A", "A").build();
    assertThrows(
        TraceTooLargeException.class,
        () -> FunnelTracer.trace(q, events, Map.of(), Set.of(), 5, 1000));
    assertEquals(3, FunnelTracer.trace(q, events, Map.of(), Set.of(), 5).reachedStep());
  }

  /** A converting journey traced under {@code cohorts} for a person in {@code memberOf}. */
  private static FunnelTrace underCohorts(CohortRestriction cohorts, Long... memberOf) {
    FunnelQuery q = funnel(OrderMode.ORDERED, "view", "cart").cohorts(cohorts).build();
    return FunnelTracer.trace(
        q,
        List.of(ev(1, "view", 0), ev(2, "cart", 10), ev(3, "view", 20)),
        Map.of(),
        Set.of(memberOf),
        FunnelTracer.MAX_CANDIDATES);
  }

  private static void assertOutside(FunnelTrace t, Reason reason, OptionalLong cohortId) {
    assertEquals(-1, t.reachedStep());
    assertTrue(t.chosen().isEmpty());
    FunnelTrace.NextStep next = t.nextStep().orElseThrow();
    assertEquals(0, next.step());
    assertEquals("view", next.eventName());
    assertTrue(next.candidates().isEmpty(), "no candidates outside the population");
    assertEquals(false, t.population().inPopulation());
    assertEquals(reason, t.population().reason().orElseThrow());
    assertEquals(cohortId, t.population().cohortId());
  }

  private static void assertConverted(FunnelTrace t) {
    assertEquals(1, t.reachedStep());
    assertEquals(List.of(1L, 2L), chainIds(t));
    assertEquals(TracePopulation.IN, t.population());
  }

  @Test
  void anIncludedCohortLetsOnlyItsMembersIn() {
    CohortRestriction include = new CohortRestriction(Set.of(7L), Set.of());
    assertConverted(underCohorts(include, 7L));
    assertOutside(underCohorts(include), Reason.NOT_IN_INCLUDED_COHORTS, OptionalLong.empty());
    // Membership of a cohort the funnel does not name changes nothing.
    assertOutside(underCohorts(include, 8L), Reason.NOT_IN_INCLUDED_COHORTS, OptionalLong.empty());
  }

  @Test
  void anExcludedCohortLeavesItsMembersOut() {
    CohortRestriction exclude = new CohortRestriction(Set.of(), Set.of(9L, 4L));
    assertConverted(underCohorts(exclude));
    assertConverted(underCohorts(exclude, 5L));
    assertOutside(underCohorts(exclude, 9L), Reason.IN_EXCLUDED_COHORT, OptionalLong.of(9));
    // Several excluded cohorts: the smallest id is named.
    assertOutside(underCohorts(exclude, 9L, 4L), Reason.IN_EXCLUDED_COHORT, OptionalLong.of(4));
  }

  @Test
  void includedCohortsAreAUnionAndExclusionStillApplies() {
    CohortRestriction both = new CohortRestriction(Set.of(7L, 8L), Set.of(9L));
    assertConverted(underCohorts(both, 8L));
    assertConverted(underCohorts(both, 7L, 8L));
    assertOutside(underCohorts(both, 8L, 9L), Reason.IN_EXCLUDED_COHORT, OptionalLong.of(9));
    // In no included cohort and in an excluded one: not being included is reported.
    assertOutside(underCohorts(both, 9L), Reason.NOT_IN_INCLUDED_COHORTS, OptionalLong.empty());
    assertEquals("not_in_included_cohorts", Reason.NOT_IN_INCLUDED_COHORTS.wireName());
    assertEquals("in_excluded_cohort", Reason.IN_EXCLUDED_COHORT.wireName());
  }

  @Test
  void withoutCohortsEveryoneIsInThePopulation() {
    assertConverted(underCohorts(CohortRestriction.NONE));
    assertConverted(underCohorts(CohortRestriction.NONE, 9L));
  }

  /**
   * Time limits on random journeys of many events over few instants (steps of different names, or a
   * name repeated in the next step; ordered and strict): the trace's level and chain are the
   * reference's chosen attempt. With limits, the earliest event of a step is often not the one that
   * reaches furthest, which only a search over every instant finds.
   */
  @Test
  void chainsWithTimeLimitsAreTheReferences() {
    Random r = new Random(20261208L);
    for (int c = 0; c < 3000; c++) {
      int n = 2 + r.nextInt(3);
      List<String> names = new ArrayList<>(List.of("A", "B", "C", "D"));
      Collections.shuffle(names, r);
      FunnelQuery.Builder b =
          FunnelQuery.builder(1)
              .order(r.nextBoolean() ? OrderMode.ORDERED : OrderMode.STRICT)
              .window(Duration.ofMillis(1000L * (1 + r.nextInt(8))));
      String previous = null;
      for (int k = 0; k < n; k++) {
        String name = previous != null && r.nextInt(4) == 0 ? previous : names.get(k);
        b.step(name);
        previous = name;
      }
      List<EventRow> rows = new ArrayList<>();
      List<TraceEvent> events = new ArrayList<>();
      for (int e = r.nextInt(20); e >= 0; e--) {
        long t = T0 + r.nextInt(12) * 1000L + (r.nextInt(5) == 0 ? r.nextInt(3) - 1 : 0);
        String name = names.get(r.nextInt(n + 1 > 4 ? 4 : n + 1));
        rows.add(new EventRow(e + 1, 1, "u1", name, t, t, null));
        events.add(new TraceEvent(e + 1, "u1", name, t, Map.of()));
      }
      FunnelQuery q = StepLimits.always(b.build(), rows, r);
      long[] want = ReferenceFunnel.chosenTimes(q, rows, Map.of()).get("u1");
      FunnelTrace t = trace(q, events.toArray(TraceEvent[]::new));
      String context = "case " + c + ": " + q + " " + rows;
      assertEquals(want == null ? -1 : want.length - 1, t.reachedStep(), context);
      if (want != null) {
        long[] got =
            t.chosen().orElseThrow().chain().stream()
                .mapToLong(l -> l.event().timeMillis())
                .toArray();
        assertArrayEquals(want, got, context);
      }
    }
  }

  @Test
  void stepTimeLimitSaysByHowMuchAndTheChainTakesTheEventThatReachesFurthest() {
    FunnelQuery q =
        FunnelQuery.builder(1)
            .step("view")
            .step("cart")
            .step(FunnelStep.of("buy").within(Duration.ofSeconds(10)))
            .window(Duration.ofSeconds(60))
            .build();
    // cart@5 is too far from buy@25; cart@20 is not.
    FunnelTrace done =
        trace(q, ev(1, "view", 0), ev(2, "cart", 5), ev(3, "cart", 20), ev(4, "buy", 25));
    assertEquals(List.of(1L, 3L, 4L), chainIds(done));
    // Exactly the limit counts.
    assertEquals(2, trace(q, ev(1, "view", 0), ev(2, "cart", 5), ev(3, "buy", 15)).reachedStep());

    FunnelTrace t =
        trace(q, ev(1, "view", 0), ev(2, "cart", 5), ev(3, "buy", 40), ev(4, "buy", 61));
    assertEquals(1, t.reachedStep());
    List<Candidate> c = t.nextStep().orElseThrow().candidates();
    TraceReason.StepTimeLimit r =
        assertInstanceOf(TraceReason.StepTimeLimit.class, c.get(0).reason());
    assertEquals(3, c.get(0).event().eventId());
    assertEquals(10_000, r.limitMillis());
    assertEquals(T0 + 15_000, r.limitEndMillis());
    assertEquals(25_000, r.excessMillis());
    // Past the window as well: the window is named first.
    assertInstanceOf(TraceReason.OutsideWindow.class, c.get(1).reason());
    assertEquals("step_time_limit", ReasonCode.STEP_TIME_LIMIT.wireName());
  }
}
