package io.tracetics.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A person of an app as one snapshot of the store shows it: who it is, what it is known as, and a
 * page of its events, all its identifiers' together.
 *
 * @param personId the person's own identifier (the user an anonymous id was identified as)
 * @param identifiers the person's own identifier first, then its aliases
 * @param traitsJson its traits as a JSON object text, or null when none are set
 * @param eventCount its events in the store
 * @param firstSeen the time of its first event, empty when it has none
 * @param lastSeen the time of its last event, empty when it has none
 * @param events a page of its events, newest first
 * @param next where the next page starts, empty when this page holds the oldest event
 * @param watermark the app's watermark in the same snapshot (its identity version included)
 */
public record PersonProfile(
    String personId,
    List<String> identifiers,
    String traitsJson,
    long eventCount,
    Optional<Instant> firstSeen,
    Optional<Instant> lastSeen,
    List<PersonEvent> events,
    Optional<EventCursor> next,
    Watermark watermark) {

  public PersonProfile {
    Objects.requireNonNull(personId, "personId");
    identifiers = List.copyOf(identifiers);
    events = List.copyOf(events);
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(watermark, "watermark");
  }
}
