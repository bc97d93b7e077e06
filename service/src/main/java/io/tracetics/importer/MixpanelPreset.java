package io.tracetics.importer;

import static io.tracetics.importer.PresetFields.id;
import static io.tracetics.importer.PresetFields.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;
import java.util.List;

/**
 * Mixpanel's raw event export: {@code {"event": ..., "properties": {"distinct_id", "time",
 * "$insert_id", "$device_id", "$user_id", ...}}}.
 *
 * <ul>
 *   <li>An event: the event {@code event}; its user is {@code $user_id}, else {@code distinct_id},
 *       else {@code $device_id} (any id without the {@code $device:} prefix Mixpanel gives
 *       anonymous distinct ids, so they match the {@code $device_id} of later records). A record
 *       with both {@code $user_id} and {@code $device_id} implies an identify of the device id as
 *       the user (Mixpanel's simplified ID merge). The metadata is the other properties, without
 *       {@code token} (the project token).
 *   <li>{@code $identify}: an identify of {@code $anon_distinct_id} (or {@code $anon_id}) as {@code
 *       $identified_id} (else {@code distinct_id}).
 *   <li>{@code $create_alias}: an identify of {@code alias} as {@code distinct_id} (an alias maps
 *       to one distinct id, as an anonymous id maps to one user).
 *   <li>{@code $merge}: an identify of the second of {@code $distinct_ids} as the first (Mixpanel
 *       leaves the direction open; the first is kept as the person).
 * </ul>
 *
 * The time is {@code time}, epoch seconds or milliseconds told apart by size; Mixpanel exports
 * projects created before 2023 in the project's time zone, not UTC, which the import cannot know.
 * The id is {@code $insert_id}.
 */
final class MixpanelPreset implements PresetMapping {
  private static final String DEVICE_PREFIX = "$device:";

  /** Properties that are the API's fields or identities, not metadata. */
  private static final List<String> MAPPED =
      List.of("time", "distinct_id", "$insert_id", "$user_id", "$device_id", "token");

  @Override
  public PresetRecord map(ObjectNode record) {
    ObjectNode properties = object(record.get("properties"));
    if (properties == null) {
      return new PresetRecord.Invalid(
          new ItemError(
              400,
              "invalid_event",
              "A Mixpanel event needs its 'properties' object (with distinct_id and time)",
              "properties"));
    }
    JsonNode time = PresetFields.epochTime(properties.get("time"));
    if (time == null || time.isNull()) {
      return PresetFields.noTime("properties.time");
    }
    JsonNode event = record.get("event");
    String name = event != null && event.isTextual() ? event.textValue() : "";
    String insertId = id(properties.get("$insert_id"));
    String distinctId = withoutDevicePrefix(id(properties.get("distinct_id")));
    return switch (name) {
      case "$identify" -> {
        String anonymous = id(properties.get("$anon_distinct_id"));
        String identified = id(properties.get("$identified_id"));
        yield new PresetRecord.Identify(
            PresetFields.identify(
                withoutDevicePrefix(anonymous != null ? anonymous : id(properties.get("$anon_id"))),
                identified != null ? withoutDevicePrefix(identified) : distinctId,
                null,
                time,
                insertId));
      }
      case "$create_alias" ->
          new PresetRecord.Identify(
              PresetFields.identify(
                  withoutDevicePrefix(id(properties.get("alias"))),
                  distinctId,
                  null,
                  time,
                  insertId));
      case "$merge" -> merge(properties, time, insertId);
      default -> {
        String userId = id(properties.get("$user_id"));
        String deviceId = id(properties.get("$device_id"));
        String user = userId != null ? userId : distinctId != null ? distinctId : deviceId;
        MAPPED.forEach(properties::remove);
        yield new PresetRecord.Event(
            PresetFields.event(event, user, time, insertId, properties),
            PresetFields.impliedIdentify(deviceId, userId, time));
      }
    };
  }

  private static PresetRecord merge(ObjectNode properties, JsonNode time, String insertId) {
    JsonNode ids = properties.get("$distinct_ids");
    if (ids == null || !ids.isArray() || ids.size() != 2) {
      return new PresetRecord.Invalid(
          new ItemError(
              400,
              "invalid_identify",
              "A Mixpanel $merge needs '$distinct_ids' with two ids",
              "properties.$distinct_ids"));
    }
    return new PresetRecord.Identify(
        PresetFields.identify(
            withoutDevicePrefix(id(ids.get(1))),
            withoutDevicePrefix(id(ids.get(0))),
            null,
            time,
            insertId));
  }

  private static String withoutDevicePrefix(String id) {
    return id != null && id.startsWith(DEVICE_PREFIX) && id.length() > DEVICE_PREFIX.length()
        ? id.substring(DEVICE_PREFIX.length())
        : id;
  }
}
