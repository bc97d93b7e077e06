package io.tracetics.actors;

import io.tracetics.engine.exec.ActorList;
import java.util.List;
import java.util.Objects;

/**
 * An open actors page on its way to the client: the engine's list (closed by the writer once
 * written), the funnel's step names (for the CSV columns) and the load position the list includes
 * at least (the report's {@code watermark.load_position}).
 */
public record ActorAnswer(ActorList list, List<String> stepNames, long loadPosition) {
  public ActorAnswer {
    Objects.requireNonNull(list, "list");
    stepNames = List.copyOf(stepNames);
  }

  /** The next page's cursor, or null on the last page. */
  public String nextCursor() {
    return list.nextAfter().map(ActorCursor::encode).orElse(null);
  }

  /**
   * The watermark as one header value: {@code events=..; max_event_id=..; load_position=..;
   * identity_version=..} (max_event_id empty when the app has no events).
   */
  public String watermarkHeader() {
    var w = list.watermark();
    return "events="
        + w.eventCount()
        + "; max_event_id="
        + (w.maxEventId().isPresent() ? Long.toString(w.maxEventId().getAsLong()) : "")
        + "; load_position="
        + loadPosition
        + "; identity_version="
        + w.identityVersion();
  }
}
