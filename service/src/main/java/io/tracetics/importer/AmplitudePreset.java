package io.tracetics.importer;

import static io.tracetics.importer.PresetFields.first;
import static io.tracetics.importer.PresetFields.id;
import static io.tracetics.importer.PresetFields.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Amplitude's Export API (a zip of gzipped files, one JSON event per line): {@code event_type},
 * {@code user_id}, {@code device_id}, {@code event_time}, {@code event_properties}, {@code
 * user_properties}, {@code $insert_id} ({@code insert_id} in the HTTP API's shape), {@code uuid}.
 *
 * <ul>
 *   <li>An event: the event {@code event_type} of {@code user_id}, else {@code device_id} (an
 *       anonymous user); a record with both implies an identify of the device id as the user. The
 *       metadata is {@code event_properties}.
 *   <li>{@code $identify}: the traits {@code user_properties} of the user, linking the device id as
 *       an event does. Written as operations, {@code $set} gives the traits and {@code $unset}
 *       removes them; the other operations ({@code $setOnce}, {@code $add}, ...) are left out.
 * </ul>
 *
 * The time is {@code event_time} (else {@code client_event_time}), written in UTC without an offset
 * ({@code 2026-01-02 03:04:05.678000}). The id is {@code $insert_id}, else {@code insert_id}, else
 * Amplitude's own {@code uuid}.
 */
final class AmplitudePreset implements PresetMapping {

  @Override
  public PresetRecord map(ObjectNode record) {
    JsonNode time = PresetFields.utcTime(first(record, "event_time", "client_event_time"));
    if (time == null) {
      return PresetFields.noTime("event_time or client_event_time");
    }
    JsonNode event = record.get("event_type");
    String userId = id(record.get("user_id"));
    String deviceId = id(record.get("device_id"));
    String user = userId != null ? userId : deviceId;
    String eventId = id(first(record, "$insert_id", "insert_id", "uuid"));
    if (event != null && event.isTextual() && event.textValue().equals("$identify")) {
      return new PresetRecord.Identify(
          PresetFields.identify(
              userId != null && !userId.equals(deviceId) ? deviceId : null,
              user,
              traits(object(record.get("user_properties"))),
              time,
              eventId));
    }
    return new PresetRecord.Event(
        PresetFields.event(event, user, time, eventId, record.get("event_properties")),
        PresetFields.impliedIdentify(deviceId, userId, time));
  }

  /**
   * The traits an identify's user properties set: the {@code $set} object with a null for each key
   * of {@code $unset} when written as operations, else the properties themselves.
   */
  static ObjectNode traits(ObjectNode properties) {
    if (properties == null) {
      return null;
    }
    boolean operations = false;
    for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
      operations |= names.next().startsWith("$");
    }
    if (!operations) {
      return properties;
    }
    ObjectNode traits = properties.objectNode();
    ObjectNode set = object(properties.get("$set"));
    if (set != null) {
      traits.setAll(set);
    }
    ObjectNode unset = object(properties.get("$unset"));
    if (unset != null) {
      for (Map.Entry<String, JsonNode> entry : unset.properties()) {
        traits.putNull(entry.getKey());
      }
    }
    return traits.isEmpty() ? null : traits;
  }
}
