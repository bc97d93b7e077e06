package io.tracetics.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.importer.RowSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;

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

  @Override
  public void read(Sink sink) throws IOException {
    for (DemoEvent event : events) {
      sink.row(node(event), ++read, null);
    }
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
