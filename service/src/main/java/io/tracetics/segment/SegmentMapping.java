package io.tracetics.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps one Segment message onto Tracetics' native shapes, which the native parsers then validate
 * (so limits and error keys are the native ones). Pure: no I/O, no clock.
 *
 * <ul>
 *   <li>The person is {@code userId ?? anonymousId} (null, absent and {@code ""} count as absent;
 *       an integer id is taken as its decimal text).
 *   <li>{@code track}: {@code event} -> {@code event_name}, {@code properties} -> {@code metadata}.
 *   <li>{@code page} / {@code screen}: an event named {@code page_viewed} / {@code screen_viewed}
 *       whose metadata is {@code properties} plus {@code name} and {@code category} when given.
 *   <li>An event that carries both ids (different ones) also links them: an implicit identify of
 *       {@code anonymousId} as {@code userId}, without traits or id (a link that exists already
 *       stores nothing, so a client that sends both ids on every event stores it once).
 *   <li>{@code identify}: {@code userId ?? anonymousId} with {@code traits}, linking {@code
 *       anonymousId} when both are given; one with neither a link nor traits (an empty object sets
 *       none) has nothing to store. {@code alias}: {@code previousId} is linked to {@code userId}.
 *   <li>{@code messageId} -> {@code event_id}; {@code timestamp} (else {@code originalTimestamp})
 *       and {@code sentAt} (else the batch's {@code sentAt}) -> {@code timestamp} and {@code
 *       sent_at}, so the native clock-skew correction applies.
 *   <li>{@code context}, {@code integrations} and every other field are not stored.
 * </ul>
 *
 * <p>An error the native parser finds names the native field; {@link #rename} gives it the Segment
 * field the value came from.
 */
public final class SegmentMapping {
  public static final String PAGE_EVENT = "page_viewed";
  public static final String SCREEN_EVENT = "screen_viewed";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SegmentMapping() {}

  /** One message in a native shape, or why it is refused. */
  public sealed interface Mapped permits AsEvent, AsIdentify, Nothing, Refused {}

  /**
   * An event; {@code implicitIdentify} (native identify shape) is non-null when the message links
   * an anonymous id to its user. {@code fields} maps native field names to the message's own.
   */
  public record AsEvent(ObjectNode event, ObjectNode implicitIdentify, Map<String, String> fields)
      implements Mapped {}

  /** An identify in the native batch item shape (from {@code identify} or {@code alias}). */
  public record AsIdentify(ObjectNode identify, Map<String, String> fields) implements Mapped {}

  /** A message with nothing to store (an identify of one id without traits): taken as it is. */
  public record Nothing() implements Mapped {}

  public record Refused(ItemError error) implements Mapped {}

  /**
   * Maps a message of the given type; {@code batchSentAt} is the batch's {@code sentAt} (or null),
   * used when the message has none.
   */
  public static Mapped map(JsonNode message, SegmentType type, JsonNode batchSentAt) {
    if (message == null || !message.isObject()) {
      return refused("invalid_event", null, "A message must be a JSON object");
    }
    try {
      return switch (type) {
        case TRACK, PAGE, SCREEN -> event(message, type, batchSentAt);
        case IDENTIFY -> identify(message, batchSentAt);
        case ALIAS -> alias(message, batchSentAt);
      };
    } catch (RefusedId refusedId) {
      return new Refused(refusedId.error);
    }
  }

  /** Maps an item of a batch, whose {@code type} field names its type. */
  public static Mapped mapBatchItem(JsonNode item, JsonNode batchSentAt) {
    if (item == null || !item.isObject()) {
      return refused("invalid_event", null, "A message must be a JSON object");
    }
    JsonNode type = item.get("type");
    if (type == null || type.isNull()) {
      return refused("missing_field", "type", "Field 'type' is required in a batch item");
    }
    if (!type.isTextual()) {
      return refused("invalid_type", "type", "Field 'type' must be a string");
    }
    return SegmentType.named(type.textValue())
        .map(known -> map(item, known, batchSentAt))
        .orElseGet(
            () ->
                refused(
                    "unsupported_type",
                    "type",
                    "Message type '"
                        + typeName(type.textValue())
                        + "' is not supported (track, page, screen, identify and alias are)"));
  }

  /** A client's type name, echoed only when it is a plain word. */
  private static String typeName(String text) {
    return text.matches("[A-Za-z_]{1,40}") ? text : "(not a type name)";
  }

  private static Mapped event(JsonNode message, SegmentType type, JsonNode batchSentAt) {
    String userId = id(message, "userId");
    String anonymousId = id(message, "anonymousId");
    if (userId == null && anonymousId == null) {
      return missingPerson();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    ObjectNode event = NODES.objectNode();
    switch (type) {
      case TRACK -> {
        putIfPresent(event, "event_name", message.get("event"));
        fields.put("event_name", "event");
        putIfPresent(event, "metadata", message.get("properties"));
      }
      case PAGE, SCREEN -> {
        event.put("event_name", type == SegmentType.PAGE ? PAGE_EVENT : SCREEN_EVENT);
        putIfPresent(event, "metadata", viewMetadata(message));
      }
      default -> throw new IllegalArgumentException("not an event type: " + type);
    }
    fields.put("metadata", "properties");
    String person = userId != null ? userId : anonymousId;
    event.put("user_identifier", person);
    fields.put("user_identifier", userId != null ? "userId" : "anonymousId");
    putIfPresent(event, "event_id", message.get("messageId"));
    fields.put("event_id", "messageId");
    times(message, batchSentAt, event, fields);

    ObjectNode link = null;
    if (userId != null && anonymousId != null && !userId.equals(anonymousId)) {
      link = identifyItem();
      link.put("anonymous_id", anonymousId);
      link.put("user_identifier", userId);
      putIfPresent(link, "timestamp", event.get("timestamp"));
      putIfPresent(link, "sent_at", event.get("sent_at"));
    }
    return new AsEvent(event, link, fields);
  }

  /**
   * {@code properties} with the view's {@code name} and {@code category} (the top-level ones win);
   * anything but an object or null is passed on for the native parser to refuse.
   */
  private static JsonNode viewMetadata(JsonNode message) {
    JsonNode properties = message.get("properties");
    JsonNode name = message.get("name");
    JsonNode category = message.get("category");
    boolean hasName = name != null && !name.isNull();
    boolean hasCategory = category != null && !category.isNull();
    if (!hasName && !hasCategory) {
      return properties;
    }
    ObjectNode metadata;
    if (properties == null || properties.isNull()) {
      metadata = NODES.objectNode();
    } else if (properties.isObject()) {
      metadata = ((ObjectNode) properties).deepCopy();
    } else {
      return properties;
    }
    if (hasName) {
      metadata.set("name", name);
    }
    if (hasCategory) {
      metadata.set("category", category);
    }
    return metadata;
  }

  private static Mapped identify(JsonNode message, JsonNode batchSentAt) {
    String userId = id(message, "userId");
    String anonymousId = id(message, "anonymousId");
    if (userId == null && anonymousId == null) {
      return missingPerson();
    }
    JsonNode traits = message.get("traits");
    if (traits != null && (traits.isNull() || traits.isObject() && traits.isEmpty())) {
      traits = null; // sets nothing (Segment's libraries send {} when given no traits)
    }
    boolean links = userId != null && anonymousId != null && !userId.equals(anonymousId);
    if (!links && traits == null) {
      return new Nothing();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    ObjectNode identify = identifyItem();
    if (userId != null) {
      identify.put("user_identifier", userId);
      fields.put("user_identifier", "userId");
      if (links) {
        identify.put("anonymous_id", anonymousId);
        fields.put("anonymous_id", "anonymousId");
      }
    } else {
      identify.put("user_identifier", anonymousId);
      fields.put("user_identifier", "anonymousId");
    }
    putIfPresent(identify, "traits", traits);
    putIfPresent(identify, "event_id", message.get("messageId"));
    fields.put("event_id", "messageId");
    times(message, batchSentAt, identify, fields);
    return new AsIdentify(identify, fields);
  }

  private static Mapped alias(JsonNode message, JsonNode batchSentAt) {
    String previousId = id(message, "previousId");
    String userId = id(message, "userId");
    if (previousId == null || userId == null) {
      String field = previousId == null ? "previousId" : "userId";
      return refused(
          "missing_field", field, "Field '" + field + "' is required (alias links previousId)");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    ObjectNode identify = identifyItem();
    identify.put("anonymous_id", previousId);
    fields.put("anonymous_id", "previousId");
    identify.put("user_identifier", userId);
    fields.put("user_identifier", "userId");
    putIfPresent(identify, "event_id", message.get("messageId"));
    fields.put("event_id", "messageId");
    times(message, batchSentAt, identify, fields);
    return new AsIdentify(identify, fields);
  }

  private static void times(
      JsonNode message, JsonNode batchSentAt, ObjectNode target, Map<String, String> fields) {
    JsonNode timestamp = message.get("timestamp");
    if (timestamp != null && !timestamp.isNull()) {
      target.set("timestamp", timestamp);
      fields.put("timestamp", "timestamp");
    } else {
      putIfPresent(target, "timestamp", message.get("originalTimestamp"));
      fields.put("timestamp", "originalTimestamp");
    }
    JsonNode sentAt = message.get("sentAt");
    if (sentAt != null && !sentAt.isNull()) {
      target.set("sent_at", sentAt);
    } else {
      putIfPresent(target, "sent_at", batchSentAt);
    }
    fields.put("sent_at", "sentAt");
  }

  /**
   * An id field: absent, null and {@code ""} are absent; a string or an integer (as its decimal
   * text) is the id; anything else is refused. Length and characters are the native parser's to
   * check.
   */
  private static String id(JsonNode message, String field) {
    JsonNode value = message.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue().isEmpty() ? null : value.textValue();
    }
    if (value.isIntegralNumber()) {
      return value.asText();
    }
    throw new RefusedId(
        new ItemError(400, "invalid_type", "Field '" + field + "' must be a string", field));
  }

  /** A native batch item of type identify, to be filled in. */
  private static ObjectNode identifyItem() {
    ObjectNode item = NODES.objectNode();
    item.put("type", "identify");
    return item;
  }

  /** The native parser's error with the Segment field names (in {@code field} and the message). */
  public static ItemError rename(ItemError error, Map<String, String> fields) {
    String segmentField = error.field() == null ? null : fields.get(error.field());
    if (segmentField == null || segmentField.equals(error.field())) {
      return error;
    }
    String message = error.message().replace("'" + error.field() + "'", "'" + segmentField + "'");
    return new ItemError(error.code(), error.error(), message, segmentField);
  }

  private static void putIfPresent(ObjectNode target, String field, JsonNode value) {
    if (value != null) {
      target.set(field, value);
    }
  }

  private static Refused missingPerson() {
    return refused("missing_field", "userId", "One of 'userId' and 'anonymousId' is required");
  }

  private static Refused refused(String error, String field, String message) {
    return new Refused(new ItemError(400, error, message, field));
  }

  /** Control flow inside one message's mapping; never escapes this class. */
  private static final class RefusedId extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ItemError error;

    RefusedId(ItemError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }
}
