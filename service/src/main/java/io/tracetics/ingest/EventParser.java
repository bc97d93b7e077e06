package io.tracetics.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.errors.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads request bodies and validates events. Pure: no I/O, no clock (the receipt time is passed
 * in), so every rule is unit-tested.
 *
 * <p>Rules (documented in the README): {@code event_name} 1..200 characters, {@code
 * user_identifier} 1..255, both strings (numbers are refused) with at least one non-space
 * character; {@code metadata} absent, null or a JSON object of at most 16 KB serialized and nesting
 * depth at most 10; {@code timestamp} and {@code sent_at} ISO-8601 with an offset or epoch
 * milliseconds (an integer); {@code event_id} a string of 1..128 characters. No string anywhere in
 * an event may contain NUL or an unpaired surrogate. Unknown top-level fields are ignored. With
 * {@code sent_at}, the event time is corrected for client clock skew: {@code timestamp +
 * (received_at - sent_at)}. An event more than one hour after its receipt (after correction) is
 * refused, as is one before 1970.
 */
public final class EventParser {
  public static final int MAX_BODY_BYTES = 1024 * 1024;
  public static final int MAX_BATCH_EVENTS = 1_000;
  public static final int MAX_EVENT_NAME_CHARS = 200;
  public static final int MAX_USER_IDENTIFIER_CHARS = 255;
  public static final int MAX_EVENT_ID_CHARS = 128;
  public static final int MAX_METADATA_BYTES = 16 * 1024;
  public static final int MAX_METADATA_DEPTH = 10;
  public static final long MAX_FUTURE_MS = 60L * 60 * 1000;

  /** 9999-12-31T23:59:59.999Z: the largest time an ISO-8601 year of four digits can name. */
  public static final long MAX_TIME_MS = 253_402_300_799_999L;

  private static final int MAX_BODY_NESTING = 64;
  private static final int MAX_TIME_TEXT = 64;
  private static final int DECODE_CHUNK_CHARS = 1024;

  private final ObjectMapper json;

  public EventParser() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_BODY_NESTING)
                    .maxStringLength(MAX_BODY_BYTES)
                    .maxNumberLength(100)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.json = new ObjectMapper(factory);
    json.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    json.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    json.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
  }

  /**
   * Checks that the body is strict UTF-8 and parses it as one JSON document, from the bytes: no
   * decoded copy of the body is made.
   */
  public JsonNode readBody(byte[] body) {
    int nul = requireUtf8(body);
    if (isBlank(body)) {
      throw ApiException.badRequest("invalid_body", "Request body is empty");
    }
    if (nul >= 0) {
      // Never valid JSON (a NUL inside a string must be escaped); refused before Jackson, whose
      // encoding detection reads zero bytes as a sign of UTF-16 or UTF-32.
      throw ApiException.badRequest(
          "malformed_json", "Request body is not valid JSON (a NUL byte at offset " + nul + ")");
    }
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      throw ApiException.badRequest(
          "malformed_json",
          location == null
              ? "Request body is not valid JSON"
              : "Request body is not valid JSON (line "
                  + location.getLineNr()
                  + ", column "
                  + location.getColumnNr()
                  + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a byte array does no I/O
    }
  }

  /**
   * Refuses a body that is not strict UTF-8 (overlong forms, surrogates and code points past
   * U+10FFFF included, as the JDK's decoder defines it) and returns the offset of its first NUL
   * byte, or -1. An all-ASCII body, the usual one, is checked in one pass without the decoder.
   */
  private static int requireUtf8(byte[] body) {
    boolean ascii = true;
    int nul = -1;
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (b < 0) {
        ascii = false;
      } else if (b == 0 && nul < 0) {
        nul = i;
      }
    }
    if (!ascii) {
      validateWithDecoder(body);
    }
    return nul;
  }

  private static void validateWithDecoder(byte[] body) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(DECODE_CHUNK_CHARS);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw ApiException.badRequest("invalid_utf8", "Request body is not valid UTF-8");
      }
      if (result.isUnderflow()) {
        return;
      }
      out.clear(); // overflow: only validity matters, the characters are not kept
    }
  }

  /** JSON's whitespace only (or nothing). */
  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** The {@code events} array of a batch body, checked for shape and count. */
  public JsonNode batchEvents(JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badRequest(
          "invalid_body", "Request body must be a JSON object {\"events\": [...]}");
    }
    JsonNode events = body.get("events");
    if (events == null || !events.isArray()) {
      throw ApiException.badRequest("invalid_body", "Field 'events' must be an array of events");
    }
    if (events.isEmpty()) {
      throw ApiException.badRequest("invalid_body", "Field 'events' must not be empty");
    }
    if (events.size() > MAX_BATCH_EVENTS) {
      throw new ApiException(
          413,
          "payload_too_large",
          "A batch holds at most " + MAX_BATCH_EVENTS + " events; nothing was stored",
          Map.of("max_events", MAX_BATCH_EVENTS, "max_bytes", MAX_BODY_BYTES));
    }
    return events;
  }

  /** Either a valid event or why it is refused. */
  public sealed interface Result permits Valid, Invalid {}

  public record Valid(IngestEvent event) implements Result {}

  public record Invalid(ItemError error) implements Result {}

  public Result parseEvent(JsonNode node, long receivedAtMs) {
    try {
      return new Valid(event(node, receivedAtMs));
    } catch (Refused refused) {
      return new Invalid(refused.error);
    }
  }

  private IngestEvent event(JsonNode node, long receivedAtMs) {
    if (node == null || !node.isObject()) {
      throw refuse("invalid_event", null, "An event must be a JSON object");
    }
    String eventName = requiredText(node, "event_name", MAX_EVENT_NAME_CHARS);
    String userIdentifier = requiredText(node, "user_identifier", MAX_USER_IDENTIFIER_CHARS);
    String eventId = optionalText(node, "event_id", MAX_EVENT_ID_CHARS);
    String metadata = jsonObject(node.get("metadata"), "metadata");
    Long timestamp = time(node.get("timestamp"), "timestamp");
    Long sentAt = time(node.get("sent_at"), "sent_at");

    long eventTime = eventTime(timestamp, sentAt, receivedAtMs);
    return new IngestEvent(
        eventName, userIdentifier, metadata, eventTime, receivedAtMs, sentAt, eventId);
  }

  /**
   * The time an item happened: its timestamp corrected by the client's clock skew ({@code
   * receivedAtMs - sentAt}) when both are given, the receipt time when there is no timestamp.
   * Refuses a time before 1970 or more than an hour after receipt.
   */
  public static long eventTime(Long timestamp, Long sentAt, long receivedAtMs) {
    long eventTime;
    if (timestamp == null) {
      eventTime = receivedAtMs;
    } else if (sentAt == null) {
      eventTime = timestamp;
    } else {
      eventTime = timestamp + (receivedAtMs - sentAt);
    }
    if (eventTime < 0) {
      throw refuse(
          "invalid_timestamp",
          "timestamp",
          "The event time (after clock-skew correction) is before 1970-01-01");
    }
    if (eventTime > receivedAtMs + MAX_FUTURE_MS) {
      throw refuse(
          "timestamp_in_future",
          "timestamp",
          "The event time (after clock-skew correction) is more than 1 hour after the server"
              + " received it");
    }
    return eventTime;
  }

  /** A required string field of 1..maxChars characters; throws {@link Refused}. */
  public static String requiredText(JsonNode node, String field, int maxChars) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw refuse("missing_field", field, "Field '" + field + "' is required");
    }
    return text(value, field, maxChars);
  }

  /** An optional string field (null when absent); throws {@link Refused}. */
  public static String optionalText(JsonNode node, String field, int maxChars) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : text(value, field, maxChars);
  }

  private static String text(JsonNode value, String field, int maxChars) {
    if (!value.isTextual()) {
      throw refuse("invalid_type", field, "Field '" + field + "' must be a string");
    }
    String text = value.textValue();
    checkCharacters(text, field);
    int chars = text.codePointCount(0, text.length());
    if (chars < 1 || chars > maxChars || text.isBlank()) {
      throw refuse(
          "invalid_length",
          field,
          "Field '"
              + field
              + "' must be 1.."
              + maxChars
              + " characters with at least one non-space character");
    }
    return text;
  }

  private static void checkCharacters(String text, String field) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        throw refuse("invalid_character", field, "Field '" + field + "' contains a NUL character");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        throw refuse(
            "invalid_character", field, "Field '" + field + "' contains an unpaired surrogate");
      }
      if (Character.isLowSurrogate(c)) {
        throw refuse(
            "invalid_character", field, "Field '" + field + "' contains an unpaired surrogate");
      }
    }
  }

  /**
   * A field that must be a JSON object (or absent/null: null) of at most {@link
   * #MAX_METADATA_BYTES} bytes and {@link #MAX_METADATA_DEPTH} levels, as compact JSON text. Its
   * errors are {@code invalid_<field>}, {@code <field>_too_large} and {@code <field>_too_deep}.
   */
  public String jsonObject(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw refuse("invalid_" + field, field, "Field '" + field + "' must be a JSON object");
    }
    checkTree(value, 1, field);
    String text;
    try {
      text = json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw refuse("invalid_" + field, field, "Field '" + field + "' cannot be stored");
    }
    if (utf8Length(text) > MAX_METADATA_BYTES) {
      throw refuse(
          field + "_too_large",
          field,
          "Field '" + field + "' must be at most " + MAX_METADATA_BYTES + " bytes as JSON");
    }
    return text;
  }

  private static void checkTree(JsonNode node, int depth, String field) {
    if (node.isContainerNode() && depth > MAX_METADATA_DEPTH) {
      throw refuse(
          field + "_too_deep",
          field,
          "Field '"
              + field
              + "' may nest objects and arrays at most "
              + MAX_METADATA_DEPTH
              + " deep");
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        checkCharacters(entry.getKey(), field);
        checkTree(entry.getValue(), depth + 1, field);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        checkTree(element, depth + 1, field);
      }
    } else if (node.isTextual()) {
      checkCharacters(node.textValue(), field);
    }
  }

  private static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** An optional time field as epoch milliseconds (null when absent); throws {@link Refused}. */
  public static Long time(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      String text = value.textValue();
      if (text.length() <= MAX_TIME_TEXT) {
        try {
          long ms = OffsetDateTime.parse(text).toInstant().toEpochMilli();
          if (ms >= 0 && ms <= MAX_TIME_MS) {
            return ms;
          }
        } catch (DateTimeParseException | ArithmeticException e) {
          // refused below
        }
      }
      throw refuse(
          "invalid_timestamp",
          field,
          "Field '"
              + field
              + "' must be ISO-8601 with an offset (2026-01-05T10:00:00Z) or epoch milliseconds"
              + " between 1970 and 9999");
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      long ms = value.longValue();
      if (ms >= 0 && ms <= MAX_TIME_MS) {
        return ms;
      }
    }
    throw refuse(
        "invalid_timestamp",
        field,
        "Field '"
            + field
            + "' must be ISO-8601 with an offset (2026-01-05T10:00:00Z) or epoch milliseconds"
            + " (an integer) between 1970 and 9999");
  }

  public static Refused refuse(String error, String field, String message) {
    return new Refused(ItemError.invalid(error, field, message));
  }

  /**
   * Control flow inside one item's validation (an event here, an identify in its parser); the
   * parsers turn it into their {@code Invalid} result.
   */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ItemError error;

    Refused(ItemError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public ItemError error() {
      return error;
    }
  }
}
