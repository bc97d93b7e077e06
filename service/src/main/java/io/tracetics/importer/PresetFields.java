package io.tracetics.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * What the presets share: reading ids and times the way the tools write them, and building the
 * API's event and identify objects. Pure functions.
 */
final class PresetFields {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Epoch values below this are seconds, at or above it milliseconds: 10^11 seconds is the year
   * 5138, 10^11 milliseconds is March 1973, before any of these tools existed.
   */
  static final long SECONDS_BELOW = 100_000_000_000L;

  private PresetFields() {}

  /**
   * An id field as text: a string with a non-space character, or an integer written as text (some
   * exports write numeric ids as numbers); null for anything else, so the next candidate is used.
   */
  static String id(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue().isBlank() ? null : value.textValue();
    }
    if (value.isIntegralNumber()) {
      return value.asText();
    }
    return null;
  }

  /** The value if it is a JSON object, else null. */
  static ObjectNode object(JsonNode value) {
    return value instanceof ObjectNode object ? object : null;
  }

  /** The first of the fields the record holds a non-null value in, or null. */
  static JsonNode first(ObjectNode record, String... fields) {
    for (String field : fields) {
      JsonNode value = record.get(field);
      if (value != null && !value.isNull()) {
        return value;
      }
    }
    return null;
  }

  /**
   * A time written as text, as the API's {@code timestamp}: ISO-8601 with an offset stays text (a
   * space between date and time is read as {@code T}), a date and time without an offset ({@code
   * 2026-01-02 03:04:05.678000}, how Amplitude writes UTC) becomes epoch milliseconds in UTC.
   * Anything else is passed on for the API's rule to refuse.
   */
  static JsonNode utcTime(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return value;
    }
    String text = value.textValue();
    if (text.length() > 10 && text.charAt(10) == ' ') {
      text = text.substring(0, 10) + 'T' + text.substring(11);
    }
    try {
      OffsetDateTime.parse(text);
      return NODES.textNode(text);
    } catch (DateTimeParseException e) {
      // not with an offset; maybe without one
    }
    try {
      return NODES.numberNode(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli());
    } catch (DateTimeParseException | ArithmeticException e) {
      return value;
    }
  }

  /**
   * An epoch time in seconds or milliseconds, told apart by size ({@link #SECONDS_BELOW}), as the
   * API's epoch milliseconds; fractions of seconds are kept to the millisecond. A number written as
   * text is read the same way; anything else is passed on for the API's rule to refuse.
   */
  static JsonNode epochTime(JsonNode value) {
    if (value == null) {
      return null;
    }
    BigDecimal number;
    if (value.isNumber()) {
      number = value.decimalValue();
    } else if (value.isTextual()) {
      try {
        number = new BigDecimal(value.textValue().trim());
      } catch (NumberFormatException e) {
        return value;
      }
    } else {
      return value;
    }
    if (number.abs().compareTo(BigDecimal.valueOf(SECONDS_BELOW)) < 0) {
      number = number.movePointRight(3);
    }
    try {
      return NODES.numberNode(number.setScale(0, RoundingMode.FLOOR).longValueExact());
    } catch (ArithmeticException e) {
      return value;
    }
  }

  /** The API's event object; null arguments are left out (the API then names what is missing). */
  static ObjectNode event(JsonNode name, String user, JsonNode time, String id, JsonNode metadata) {
    ObjectNode event = NODES.objectNode();
    if (name != null) {
      event.set("event_name", name);
    }
    putText(event, "user_identifier", user);
    putText(event, "event_id", id);
    if (metadata != null && !metadata.isNull() && !(metadata.isObject() && metadata.isEmpty())) {
      event.set("metadata", metadata);
    }
    if (time != null) {
      event.set("timestamp", time);
    }
    return event;
  }

  /** The API's identify object; null arguments are left out. */
  static ObjectNode identify(
      String anonymousId, String user, JsonNode traits, JsonNode time, String id) {
    ObjectNode identify = NODES.objectNode();
    putText(identify, "anonymous_id", anonymousId);
    putText(identify, "user_identifier", user);
    if (traits != null && !traits.isNull()) {
      identify.set("traits", traits);
    }
    if (time != null) {
      identify.set("timestamp", time);
    }
    putText(identify, "event_id", id);
    return identify;
  }

  /**
   * The identify a record implies when it carries an anonymous id and a different user id: the
   * anonymous id's events become the user's. Null otherwise. It has no id of its own: the importer
   * derives one from the link, so each link is stored once however many records imply it.
   */
  static ObjectNode impliedIdentify(String anonymousId, String user, JsonNode time) {
    if (anonymousId == null || user == null || anonymousId.equals(user)) {
      return null;
    }
    return identify(anonymousId, user, null, time, null);
  }

  /** The rejection of a record without a time, naming where the preset looked for one. */
  static PresetRecord.Invalid noTime(String where) {
    return new PresetRecord.Invalid(
        new ItemError(
            400,
            "missing_field",
            "The record has no time (" + where + "); history needs one",
            "timestamp"));
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
