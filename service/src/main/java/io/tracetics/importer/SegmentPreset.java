package io.tracetics.importer;

import static io.tracetics.importer.PresetFields.first;
import static io.tracetics.importer.PresetFields.id;
import static io.tracetics.importer.PresetFields.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;

/**
 * Segment's archive (the S3 destination's gzipped NDJSON, one call per line as Segment's spec
 * writes it): {@code type}, {@code event}, {@code name}, {@code userId}, {@code anonymousId},
 * {@code previousId}, {@code properties}, {@code traits}, {@code timestamp}, {@code messageId}.
 *
 * <ul>
 *   <li>{@code track}: the event {@code event}; {@code page} and {@code screen}: the events {@code
 *       page_viewed} and {@code screen_viewed} with {@code name} added to the metadata. The
 *       metadata is {@code properties}; the user is {@code userId}, else {@code anonymousId}, and a
 *       call with both implies an identify of the anonymous id as the user.
 *   <li>{@code identify}: an identify of {@code anonymousId} as {@code userId} with {@code traits}
 *       (those of {@code context.traits} when there are none); without {@code userId}, the traits
 *       of the anonymous person.
 *   <li>{@code alias}: an identify of {@code previousId} as {@code userId}.
 *   <li>{@code group}: skipped (groups are not imported).
 * </ul>
 *
 * The time is {@code timestamp} (else {@code originalTimestamp}, else {@code receivedAt}), the id
 * {@code messageId}.
 */
final class SegmentPreset implements PresetMapping {

  @Override
  public PresetRecord map(ObjectNode record) {
    String type = record.path("type").asText("");
    JsonNode time =
        PresetFields.utcTime(first(record, "timestamp", "originalTimestamp", "receivedAt"));
    String messageId = id(record.get("messageId"));
    String userId = id(record.get("userId"));
    String anonymousId = id(record.get("anonymousId"));
    switch (type) {
      case "group":
        return new PresetRecord.Skipped("Segment group calls are not imported");
      case "track", "page", "screen", "identify", "alias":
        break;
      default:
        return new PresetRecord.Invalid(
            new ItemError(
                400,
                "invalid_event",
                "A Segment call's type must be track, page, screen, identify, alias or group",
                "type"));
    }
    if (time == null) {
      return PresetFields.noTime("timestamp, originalTimestamp or receivedAt");
    }
    return switch (type) {
      case "identify" -> {
        JsonNode traits = record.get("traits");
        if (traits == null || traits.isNull()) {
          traits = record.path("context").get("traits");
        }
        yield new PresetRecord.Identify(
            userId == null
                ? PresetFields.identify(null, anonymousId, traits, time, messageId)
                : PresetFields.identify(anonymousId, userId, traits, time, messageId));
      }
      case "alias" ->
          new PresetRecord.Identify(
              PresetFields.identify(id(record.get("previousId")), userId, null, time, messageId));
      default -> event(record, type, userId, anonymousId, time, messageId);
    };
  }

  private static PresetRecord event(
      ObjectNode record,
      String type,
      String userId,
      String anonymousId,
      JsonNode time,
      String messageId) {
    JsonNode name;
    JsonNode metadata = record.get("properties");
    if (type.equals("track")) {
      name = record.get("event");
    } else {
      name = record.textNode(type.equals("page") ? "page_viewed" : "screen_viewed");
      JsonNode pageName = record.get("name");
      if (pageName != null && !pageName.isNull()) {
        ObjectNode properties = object(metadata);
        if (properties == null && (metadata == null || metadata.isNull())) {
          properties = record.objectNode();
        }
        if (properties != null) {
          properties.set("name", pageName);
          metadata = properties;
        }
      }
    }
    String user = userId != null ? userId : anonymousId;
    return new PresetRecord.Event(
        PresetFields.event(name, user, time, messageId, metadata),
        PresetFields.impliedIdentify(anonymousId, userId, time));
  }
}
