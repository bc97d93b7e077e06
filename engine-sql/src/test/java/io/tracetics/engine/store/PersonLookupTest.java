package io.tracetics.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A person read by any of its identifiers: identity, traits, counts and its timeline in pages. */
class PersonLookupTest {
  static final long APP = 1;
  static final long OTHER = 2;
  static final long T = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private static EventRow event(long id, long app, String user, String name, long at) {
    return new EventRow(id, app, user, name, at, at, null);
  }

  /**
   * anon-1 and anon-2 browse, then are identified as u; u sets traits; solo stays alone; the other
   * app has an "anon-1" of its own.
   */
  private static AnalyticsStore store() {
    AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory());
    store.load(
        "s",
        1,
        List.of(
            new EventRow(1, APP, "anon-1", "viewed_pricing", T, T, "{\"path\":\"/pricing\"}"),
            event(2, APP, "anon-2", "viewed_pricing", T + 1_000),
            event(3, APP, "u", "signed_up", T + 60_000),
            event(4, APP, "u", "upgraded", T + 120_000),
            event(5, APP, "solo", "visit", T + 5_000),
            event(6, OTHER, "anon-1", "secret", T + 500_000)),
        List.of(
            new IdentityLink(APP, "anon-2", "u", null),
            new IdentityLink(APP, "anon-1", "u", "{\"plan\":\"pro\",\"seats\":3}")),
        r -> {});
    return store;
  }

  @Test
  void anAliasResolvesToItsPersonWithEveryIdentifiersEvents() {
    try (AnalyticsStore store = store()) {
      PersonLookup lookup = new PersonLookup(store);
      for (String asked : List.of("u", "anon-1", "anon-2")) {
        PersonProfile person = lookup.find(APP, asked, 50, EventCursor.START).orElseThrow();
        assertEquals("u", person.personId(), asked);
        assertEquals(List.of("u", "anon-1", "anon-2"), person.identifiers(), asked);
        assertEquals("{\"plan\":\"pro\",\"seats\":3}", person.traitsJson());
        assertEquals(4, person.eventCount());
        assertEquals(Optional.of(Instant.ofEpochMilli(T)), person.firstSeen());
        assertEquals(Optional.of(Instant.ofEpochMilli(T + 120_000)), person.lastSeen());
        assertEquals(List.of(4L, 3L, 2L, 1L), ids(person.events()));
        assertEquals(Optional.empty(), person.next());
        assertEquals(1, person.watermark().identityVersion());
      }
      PersonEvent oldest =
          lookup.find(APP, "u", 50, EventCursor.START).orElseThrow().events().get(3);
      assertEquals("anon-1", oldest.userIdentifier());
      assertEquals("viewed_pricing", oldest.eventName());
      assertEquals(Instant.ofEpochMilli(T), oldest.eventTime());
      assertEquals("{\"path\":\"/pricing\"}", oldest.metadataJson());
      assertNull(
          lookup
              .find(APP, "u", 50, EventCursor.START)
              .orElseThrow()
              .events()
              .get(0)
              .metadataJson());
    }
  }

  @Test
  void aPersonWithoutAliasesOrTraitsAndUnknownIdentifiers() {
    try (AnalyticsStore store = store()) {
      PersonLookup lookup = new PersonLookup(store);
      PersonProfile solo = lookup.find(APP, "solo", 50, EventCursor.START).orElseThrow();
      assertEquals(List.of("solo"), solo.identifiers());
      assertNull(solo.traitsJson());
      assertEquals(List.of(5L), ids(solo.events()));
      // Apps are apart: the other app's anon-1 is a person of its own there.
      PersonProfile other = lookup.find(OTHER, "anon-1", 50, EventCursor.START).orElseThrow();
      assertEquals("anon-1", other.personId());
      assertEquals(List.of(6L), ids(other.events()));
      assertEquals(0, other.watermark().identityVersion());
      assertEquals(Optional.empty(), lookup.find(APP, "nobody", 50, EventCursor.START));
      assertEquals(Optional.empty(), lookup.find(OTHER, "u", 50, EventCursor.START));
      assertEquals(Optional.empty(), lookup.find(3, "u", 50, EventCursor.START));
      // Identifiers are exact: no case folding, no trimming.
      assertEquals(Optional.empty(), lookup.find(APP, "U", 50, EventCursor.START));
      assertEquals(Optional.empty(), lookup.find(APP, "u ", 50, EventCursor.START));
    }
  }

  @Test
  void aPersonKnownOnlyFromAnIdentifyHasNoEvents() {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load(
          "s",
          1,
          List.of(),
          List.of(new IdentityLink(APP, null, "quiet", "{\"plan\":\"free\"}")),
          r -> {});
      PersonProfile quiet =
          new PersonLookup(store).find(APP, "quiet", 10, EventCursor.START).orElseThrow();
      assertEquals(List.of("quiet"), quiet.identifiers());
      assertEquals("{\"plan\":\"free\"}", quiet.traitsJson());
      assertEquals(0, quiet.eventCount());
      assertEquals(Optional.empty(), quiet.firstSeen());
      assertEquals(Optional.empty(), quiet.lastSeen());
      assertEquals(List.of(), quiet.events());
      assertEquals(Optional.empty(), quiet.next());
    }
  }

  /** Pages of 2 over 7 events, three of them at one instant: each event once, newest first. */
  @Test
  void pagesWalkTheTimelineOnceThroughTies() {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load(
          "s",
          1,
          List.of(
              event(10, APP, "a", "e", T),
              event(11, APP, "u", "e", T + 10),
              event(12, APP, "a", "e", T + 10),
              event(13, APP, "u", "e", T + 10),
              event(14, APP, "u", "e", T + 20),
              event(15, APP, "a", "e", T - 5),
              event(16, APP, "x", "e", T + 10)),
          List.of(new IdentityLink(APP, "a", "u")),
          r -> {});
      PersonLookup lookup = new PersonLookup(store);
      List<Long> walked = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      EventCursor cursor = EventCursor.START;
      while (true) {
        PersonProfile page = lookup.find(APP, "a", 2, cursor).orElseThrow();
        assertEquals(6, page.eventCount());
        walked.addAll(ids(page.events()));
        sizes.add(page.events().size());
        if (page.next().isEmpty()) {
          break;
        }
        // The cursor travels as its token.
        cursor = EventCursor.parse(page.next().get().token()).orElseThrow();
      }
      assertEquals(List.of(14L, 13L, 12L, 11L, 10L, 15L), walked);
      assertEquals(List.of(2, 2, 2), sizes, "a full last page says there is no next one");
      PersonProfile all = lookup.find(APP, "u", 6, EventCursor.START).orElseThrow();
      assertEquals(Optional.empty(), all.next());
      PersonProfile first = lookup.find(APP, "u", 5, EventCursor.START).orElseThrow();
      assertEquals(Optional.of(new EventCursor(T, 10)), first.next());
      // Events loaded after a page was read come before its cursor and do not shift later pages.
      store.load("s", 2, List.of(event(17, APP, "u", "e", T + 30)));
      PersonProfile rest = lookup.find(APP, "u", 5, first.next().get()).orElseThrow();
      assertEquals(List.of(15L), ids(rest.events()));
      assertEquals(7, rest.eventCount());
    }
  }

  @Test
  void theEventLimitIsBounded() {
    try (AnalyticsStore store = store()) {
      PersonLookup lookup = new PersonLookup(store);
      assertThrows(
          IllegalArgumentException.class, () -> lookup.find(APP, "u", 0, EventCursor.START));
      assertThrows(
          IllegalArgumentException.class,
          () -> lookup.find(APP, "u", PersonLookup.MAX_EVENTS + 1, EventCursor.START));
      assertEquals(1, lookup.find(APP, "u", 1, EventCursor.START).orElseThrow().events().size());
      assertTrue(lookup.find(APP, "u", PersonLookup.MAX_EVENTS, EventCursor.START).isPresent());
    }
  }

  @Test
  void cursorTokensRoundTripAndAnythingElseIsRefused() {
    for (EventCursor cursor :
        List.of(
            new EventCursor(T, 1),
            new EventCursor(0, 0),
            new EventCursor(-5, 7),
            new EventCursor(Long.MAX_VALUE, Long.MAX_VALUE))) {
      assertEquals(Optional.of(cursor), EventCursor.parse(cursor.token()));
      assertTrue(cursor.token().matches("[A-Za-z0-9_-]+"), cursor.token());
    }
    for (String bad :
        List.of(
            "",
            "!!!",
            "MTIz", // "123": no event id
            "YS5i", // "a.b"
            "MS4y\n",
            "MS4yLjM", // "1.2.3"
            "MDEuMg", // "01.2": not the canonical text
            "x".repeat(100))) {
      assertEquals(Optional.empty(), EventCursor.parse(bad), bad);
    }
    assertEquals(Optional.empty(), EventCursor.parse(null));
  }

  private static List<Long> ids(List<PersonEvent> events) {
    return events.stream().map(PersonEvent::eventId).toList();
  }
}
