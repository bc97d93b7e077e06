package io.tracetics.engine.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import io.tracetics.engine.store.StoreConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    return store;
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
}
