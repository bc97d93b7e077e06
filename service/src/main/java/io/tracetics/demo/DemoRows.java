package io.tracetics.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.importer.RowSource;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generated events as an import's rows: each one the API's event object with its {@code event_id},
 * {@code timestamp} in epoch milliseconds and {@code metadata}; its position (1-based) is its line.
 */
public final class DemoRows implements RowSource {
  private final List<DemoEvent> events;
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private volatile int read;

  public DemoRows(List<DemoEvent> events) {
    this.events = events;
  }

  /**
   * The events in order; with a user's first event that carries the visitor's {@code anonymous_id},
   * the identify that links the two (as the sign-up flow of a real app calls it), and with its
   * {@code signed_up} event an identify that sets the person's traits (plan, source, device). Both
   * have fixed ids, so a second run stores nothing new.
   */
  @Override
  public void read(Sink sink) throws IOException {
    Set<String> linked = new HashSet<>();
    for (DemoEvent event : events) {
      int line = ++read;
      sink.row(node(event), line, null);
      Object anonymous = event.metadata().get("anonymous_id");
      if (anonymous != null && linked.add(event.user())) {
        ObjectNode link = identify(event, "link-");
        link.put("anonymous_id", String.valueOf(anonymous));
        sink.identify(link, line, null, false);
      }
      if (event.name().equals("signed_up")) {
        ObjectNode traits = identify(event, "traits-");
        ObjectNode values = traits.putObject("traits");
        for (String key : TRAITS) {
          Object value = event.metadata().get(key);
          if (value != null) {
            values.put(key, String.valueOf(value));
          }
        }
        sink.identify(traits, line, null, false);
      }
    }
  }

  /** The metadata keys of a sign-up that become the person's traits. */
  private static final List<String> TRAITS = List.of("plan", "source", "device");

  private ObjectNode identify(DemoEvent event, String idPrefix) {
    ObjectNode node = nodes.objectNode();
    node.put("event_id", idPrefix + event.user());
    node.put("user_identifier", event.user());
    node.put("timestamp", event.timeMs());
    return node;
  }

  @Override
  public double fractionRead() {
    return events.isEmpty() ? 1.0 : read / (double) events.size();
  }

  ObjectNode node(DemoEvent event) {
    ObjectNode node = nodes.objectNode();
    node.put("event_id", event.eventId());
    node.put("event_name", event.name());
    node.put("user_identifier", event.user());
    node.put("timestamp", event.timeMs());
    ObjectNode metadata = node.putObject("metadata");
    for (Map.Entry<String, Object> entry : event.metadata().entrySet()) {
      if (entry.getValue() instanceof Number number) {
        metadata.put(entry.getKey(), number.doubleValue());
      } else {
        metadata.put(entry.getKey(), String.valueOf(entry.getValue()));
      }
    }
    return node;
  }
}
