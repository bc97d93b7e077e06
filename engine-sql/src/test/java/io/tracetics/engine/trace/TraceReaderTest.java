package io.tracetics.engine.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.query.CohortRestriction;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.CohortChange;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import io.tracetics.engine.store.StoreConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the reader reads for a trace: the person by any identifier, and only what the funnel uses.
 */
class TraceReaderTest {
  static final long APP = 1;
  static final long OTHER = 2;
  static final long T = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  static final long MIN = 60_000;

  /** anon browses, then is identified as u (with traits); the other app has an "anon" too. */
  private static AnalyticsStore store() {
    AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory());
    loadJourney(store);
    return store;
  }

  private static void loadJourney(AnalyticsStore store) {
    store.load(
        "s",
        1,
        List.of(
            new EventRow(1, APP, "anon", "view", T, T, "{\"plan\":5.0,\"path\":\"/p\"}"),
            new EventRow(2, APP, "anon", "search", T + MIN, T, null),
            new EventRow(3, APP, "u", "signup", T + 2 * MIN, T, "{\"plan\":\"pro\"}"),
            new EventRow(4, APP, "u", "view", T - 30 * MIN, T, null),
            new EventRow(5, APP, "u", "view", T + 90 * MIN, T, null),
            new EventRow(6, OTHER, "anon", "view", T, T, null)),
        List.of(new IdentityLink(APP, "anon", "u", "{\"tier\":\"gold\",\"seats\":3}")),
        r -> {});
  }

  private static FunnelQuery.Builder funnel(OrderMode order) {
    return FunnelQuery.builder(APP)
        .order(order)
        .window(Duration.ofMinutes(10))
        .step("view")
        .step(
            "signup", PropertyFilter.eq("plan", "pro"), PropertyFilter.eq("tier", "gold").onUser());
  }

  @Test
  void anAliasTracesItsPersonWithTheWatermark() {
    try (AnalyticsStore store = store()) {
      TraceReader reader = new TraceReader(store);
      for (String asked : List.of("u", "anon")) {
        PersonTrace t = reader.trace(funnel(OrderMode.ORDERED).build(), asked, 5).orElseThrow();
        assertEquals("u", t.personId());
        assertEquals(asked, t.identifier());
        assertEquals(List.of("u", "anon"), t.identifiers());
        assertEquals(1, t.trace().reachedStep());
        assertEquals(
            List.of(1L, 3L),
            t.trace().chosen().orElseThrow().chain().stream()
                .map(l -> l.event().eventId())
                .toList());
        assertEquals(
            "anon", t.trace().chosen().orElseThrow().chain().get(0).event().userIdentifier());
        assertEquals(1, t.watermark().identityVersion());
        assertEquals(5, t.watermark().eventCount());
      }
      assertTrue(reader.trace(funnel(OrderMode.ORDERED).build(), "nobody", 5).isEmpty());
      // Another app's identifier of the same name is another person.
      assertTrue(
          reader
              .trace(FunnelQuery.builder(OTHER).step("view").step("x").build(), "anon", 5)
              .orElseThrow()
              .trace()
              .chosen()
              .isPresent());
    }
  }

  @Test
  void itReadsOnlyTheFunnelsNamesAndTimesWithTheValuesAsThePlansReadThem() {
    try (AnalyticsStore store = store()) {
      TraceReader reader = new TraceReader(store);
      // Ordered: the funnel's names only (the search is left out), any time.
      assertEquals(
          4, reader.trace(funnel(OrderMode.ORDERED).build(), "u", 5).orElseThrow().eventsRead());
      // Strict: every name, since any event can break a chain.
      assertEquals(
          5, reader.trace(funnel(OrderMode.STRICT).build(), "u", 5).orElseThrow().eventsRead());
      // A range: one window before from to two windows after to ([T - 10 min, T + 25 min)).
      FunnelQuery ranged =
          funnel(OrderMode.STRICT)
              .range(Instant.ofEpochMilli(T), Instant.ofEpochMilli(T + 5 * MIN))
              .build();
      assertEquals(3, reader.trace(ranged, "u", 5).orElseThrow().eventsRead());
      // A number is compared as its JSON text, as the plans' json_extract_string gives it.
      FunnelQuery byNumber =
          FunnelQuery.builder(APP)
              .step("view", PropertyFilter.eq("plan", "5.0"))
              .step("signup")
              .build();
      assertEquals(1, reader.trace(byNumber, "u", 5).orElseThrow().trace().reachedStep());
      // The trait filter reads the person's traits: without the trait the signup does not count.
      FunnelQuery silver =
          FunnelQuery.builder(APP)
              .window(Duration.ofMinutes(10))
              .step("view")
              .step("signup", PropertyFilter.eq("tier", "silver").onUser())
              .build();
      PersonTrace t = reader.trace(silver, "anon", 5).orElseThrow();
      assertEquals(0, t.trace().reachedStep());
      TraceReason.FilterMismatch r =
          (TraceReason.FilterMismatch)
              t.trace().nextStep().orElseThrow().candidates().get(0).reason();
      assertEquals("gold", r.actual());
    }
  }

  /**
   * Cohorts created before anon was identified as u: 10 holds the alias anon, 11 holds u, 12 an id
   * without events, 13 held u and was deleted; the other app's cohort 20 holds its own anon.
   */
  private static AnalyticsStore storeWithCohorts() {
    AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory());
    store.load(
        "c",
        1,
        List.of(),
        List.of(),
        List.of(
            CohortChange.created(APP, 10, List.of("anon")),
            CohortChange.created(APP, 11, List.of("u")),
            CohortChange.created(APP, 12, List.of("stranger")),
            CohortChange.created(APP, 13, List.of("u")),
            CohortChange.created(OTHER, 20, List.of("anon"))),
        r -> {});
    loadJourney(store);
    store.load("c", 2, List.of(), List.of(), List.of(CohortChange.deleted(APP, 13)), r -> {});
    return store;
  }

  private static PersonTrace traced(
      TraceReader reader, Set<Long> include, Set<Long> exclude, String asked) {
    FunnelQuery q =
        funnel(OrderMode.ORDERED).cohorts(new CohortRestriction(include, exclude)).build();
    return reader.trace(q, asked, 5).orElseThrow();
  }

  private static void assertIn(PersonTrace t) {
    assertEquals(1, t.trace().reachedStep(), t::toString);
    assertTrue(t.trace().population().inPopulation());
    assertEquals(4, t.eventsRead());
  }

  private static void assertOut(
      PersonTrace t, TracePopulation.Reason reason, OptionalLong cohortId) {
    assertEquals(-1, t.trace().reachedStep(), t::toString);
    assertTrue(t.trace().chosen().isEmpty());
    assertTrue(t.trace().nextStep().orElseThrow().candidates().isEmpty());
    assertFalse(t.trace().population().inPopulation());
    assertEquals(reason, t.trace().population().reason().orElseThrow());
    assertEquals(cohortId, t.trace().population().cohortId());
    // Its events are not read; who it is still is.
    assertEquals(0, t.eventsRead());
    assertEquals(List.of("u", "anon"), t.identifiers());
  }

  @Test
  void cohortMembershipIsThePersonsAsThePlansResolveIt() {
    try (AnalyticsStore store = storeWithCohorts()) {
      TraceReader reader = new TraceReader(store);
      var notIncluded = TracePopulation.Reason.NOT_IN_INCLUDED_COHORTS;
      var excluded = TracePopulation.Reason.IN_EXCLUDED_COHORT;
      for (String asked : List.of("u", "anon")) {
        // The alias anon is a member, so its person u is, though the merge came later.
        assertIn(traced(reader, Set.of(10L), Set.of(), asked));
        assertIn(traced(reader, Set.of(11L), Set.of(), asked));
        assertOut(traced(reader, Set.of(12L), Set.of(), asked), notIncluded, OptionalLong.empty());
        // Included cohorts are a union.
        assertIn(traced(reader, Set.of(12L, 11L), Set.of(), asked));
        assertOut(traced(reader, Set.of(), Set.of(10L), asked), excluded, OptionalLong.of(10));
        assertOut(
            traced(reader, Set.of(11L), Set.of(12L, 10L), asked), excluded, OptionalLong.of(10));
        assertIn(traced(reader, Set.of(), Set.of(12L), asked));
        // A deleted cohort has no members.
        assertOut(traced(reader, Set.of(13L), Set.of(), asked), notIncluded, OptionalLong.empty());
        assertIn(traced(reader, Set.of(), Set.of(13L), asked));
        // Another app's cohort is not this app's, even with the same identifier.
        assertOut(traced(reader, Set.of(20L), Set.of(), asked), notIncluded, OptionalLong.empty());
      }
      FunnelQuery other =
          FunnelQuery.builder(OTHER)
              .step("view")
              .step("x")
              .cohorts(new CohortRestriction(Set.of(20L), Set.of()))
              .build();
      PersonTrace t = reader.trace(other, "anon", 5).orElseThrow();
      assertTrue(t.trace().population().inPopulation());
      assertEquals(0, t.trace().reachedStep());
    }
  }

  /**
   * A funnel counting accounts traces the account by its value: the events carrying it, whoever
   * sent them, each filtered by its own person's traits; events of persons outside the cohorts are
   * not read; a value no event carries is not found, one outside the bounds has an empty trace.
   */
  @Test
  void aUnitTracesTheEventsOfItsValue() {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load(
          "s",
          1,
          List.of(
              new EventRow(1, APP, "ann", "view", T, T, "{\"acct\":\"acme\"}"),
              new EventRow(2, APP, "bob", "signup", T + MIN, T, "{\"acct\":\"acme\"}"),
              new EventRow(3, APP, "cat", "signup", T + 2 * MIN, T, "{\"acct\":\"acme\"}"),
              new EventRow(4, APP, "cat", "view", T, T, "{\"acct\":\"beta\"}"),
              new EventRow(5, APP, "bob", "view", T + MIN, T, null),
              new EventRow(6, APP, "old", "view", T - 100 * MIN, T, "{\"acct\":\"gone\"}")),
          List.of(
              new IdentityLink(APP, null, "bob", "{\"tier\":\"free\"}"),
              new IdentityLink(APP, null, "cat", "{\"tier\":\"gold\"}")),
          List.of(CohortChange.created(APP, 9, List.of("cat"))),
          r -> {});
      TraceReader reader = new TraceReader(store);
      FunnelQuery q =
          FunnelQuery.builder(APP)
              .window(Duration.ofMinutes(10))
              .range(Instant.ofEpochMilli(T - MIN), Instant.ofEpochMilli(T + MIN))
              .step("view")
              .step("signup", PropertyFilter.eq("tier", "gold").onUser())
              .countBy("acct")
              .build();
      PersonTrace acme = reader.trace(q, "acme", 5).orElseThrow();
      assertEquals("acme", acme.personId());
      assertEquals(List.of("acme"), acme.identifiers());
      assertEquals(3, acme.eventsRead());
      assertEquals(1, acme.trace().reachedStep());
      // Bob's earlier signup fails the trait filter on bob's own traits; cat's passes on cat's.
      List<TraceAttempt.ChainLink> chain = acme.trace().chosen().orElseThrow().chain();
      assertEquals(List.of(1L, 3L), chain.stream().map(l -> l.event().eventId()).toList());
      assertEquals("cat", chain.get(1).event().userIdentifier());
      assertTrue(acme.trace().population().inPopulation());
      assertTrue(reader.trace(q, "nobody", 5).isEmpty());
      PersonTrace gone = reader.trace(q, "gone", 5).orElseThrow();
      assertEquals(0, gone.eventsRead());
      assertEquals(-1, gone.trace().reachedStep());

      // Cohort 9 holds cat only: ann's view is not read, so acme never enters.
      FunnelQuery cats = q.toBuilder().cohorts(new CohortRestriction(Set.of(9L), Set.of())).build();
      PersonTrace onlyCat = reader.trace(cats, "acme", 5).orElseThrow();
      assertEquals(1, onlyCat.eventsRead());
      assertEquals(-1, onlyCat.trace().reachedStep());
      assertTrue(onlyCat.trace().population().inPopulation());
    }
  }
}
