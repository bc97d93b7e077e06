package io.tracetics.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generated event in the API's terms: its idempotency id ({@code event_id}), the user, the
 * event name, the event time (epoch milliseconds, UTC) and the metadata (string and number values,
 * in a fixed order).
 */
public record DemoEvent(
    String eventId, String user, String name, long timeMs, Map<String, Object> metadata) {

  public DemoEvent {
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }
}
