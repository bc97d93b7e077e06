package io.tracetics.engine.trace;

import io.tracetics.engine.store.Watermark;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A trace of one person as one snapshot of the store shows it.
 *
 * @param personId the person's own identifier
 * @param identifier the identifier the trace was asked for (the person's own or an alias)
 * @param identifiers the person's own identifier first, then its aliases
 * @param eventsRead how many of the person's events the trace read (see {@link TraceReader})
 * @param watermark the app's watermark in the same snapshot
 * @param computedAt when the trace was computed
 */
public record PersonTrace(
    String personId,
    String identifier,
    List<String> identifiers,
    FunnelTrace trace,
    int eventsRead,
    Watermark watermark,
    Instant computedAt) {

  public PersonTrace {
    Objects.requireNonNull(personId, "personId");
    Objects.requireNonNull(identifier, "identifier");
    identifiers = List.copyOf(identifiers);
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(watermark, "watermark");
    Objects.requireNonNull(computedAt, "computedAt");
  }
}
