package io.tracetics.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;

/**
 * The time column of an import, read by {@code --time-unit} into the API's {@code timestamp} (epoch
 * milliseconds or ISO-8601 text): {@code s} multiplies epoch seconds by 1000, {@code ms} and {@code
 * auto} keep integers, {@code iso} and {@code auto} keep text. A row without a time, or whose time
 * is not the unit's integer, is rejected; any other value is left to the API's rule.
 */
final class TimeColumn {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String name;
  private final String unit;

  TimeColumn(String name, String unit) {
    this.name = name;
    this.unit = unit;
  }

  /** The row with its {@code timestamp} set, or its rejection; {@code time} null when absent. */
  MappedRow complete(ObjectNode event, JsonNode time, long line, String raw) {
    if (time == null) {
      return new MappedRow.Rejected(
          line,
          new ItemError(
              400,
              "missing_field",
              "The time column '" + name + "' is empty; an imported row needs one",
              "timestamp"),
          raw);
    }
    JsonNode converted = convert(time);
    if (converted == null) {
      return new MappedRow.Rejected(
          line,
          new ItemError(
              400,
              "invalid_timestamp",
              "The time column '"
                  + name
                  + "' must hold "
                  + (unit.equals("s") ? "epoch seconds" : "epoch milliseconds")
                  + " (an integer)",
              "timestamp"),
          raw);
    }
    event.set("timestamp", converted);
    return new MappedRow.Event(event, line, raw);
  }

  /** The time as the API's {@code timestamp} (epoch ms or ISO text), or null if not an integer. */
  private JsonNode convert(JsonNode time) {
    if (time.isTextual()) {
      String text = time.textValue();
      if (unit.equals("iso")) {
        return time;
      }
      Long value = integer(text);
      if (value == null) {
        return unit.equals("auto") ? time : null;
      }
      time = NODES.numberNode(value);
    }
    if (unit.equals("s") && time.isIntegralNumber()) {
      if (!time.canConvertToLong()) {
        return null;
      }
      try {
        return NODES.numberNode(Math.multiplyExact(time.longValue(), 1000L));
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return time; // numbers and other types: the API's rule decides
  }

  private static Long integer(String text) {
    int start = text.startsWith("-") ? 1 : 0;
    if (text.length() == start || text.length() > 19 + start) {
      return null;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
