package io.tracetics.importer;

import static io.tracetics.importer.PresetFields.id;
import static io.tracetics.importer.PresetFields.object;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;

/**
 * PostHog's event export (a batch export or file-download export in JSONLines: {@code uuid}, {@code
 * event}, {@code distinct_id}, {@code properties}, {@code timestamp}, plus fields that are not
 * imported: {@code person_id}, {@code person_properties}, {@code elements_chain}, {@code
 * created_at}, {@code _inserted_at}).
 *
 * <ul>
 *   <li>An event: the event {@code event} of the user {@code distinct_id}, the metadata its {@code
 *       properties} without {@code $set} and {@code $set_once} (person updates, not event data).
 *   <li>{@code $identify}: an identify of {@code properties.$anon_distinct_id} as {@code
 *       distinct_id} with the traits {@code properties.$set}.
 *   <li>{@code $create_alias} and {@code $merge_dangerously}: an identify of {@code
 *       properties.alias} as {@code distinct_id} (PostHog merges the alias into the distinct id).
 *   <li>{@code $set}: the traits {@code properties.$set} of {@code distinct_id}.
 *   <li>{@code $groupidentify}: skipped (groups are not imported).
 * </ul>
 *
 * The time is {@code timestamp} (ISO-8601), the id {@code uuid}. {@code properties} written as a
 * JSON string (as Parquet exports hold it) is read as the object it holds.
 */
final class PostHogPreset implements PresetMapping {
  private final ObjectMapper json = new ObjectMapper();

  @Override
  public PresetRecord map(ObjectNode record) {
    JsonNode event = record.get("event");
    String name = event != null && event.isTextual() ? event.textValue() : "";
    if (name.equals("$groupidentify")) {
      return new PresetRecord.Skipped("PostHog group identifies are not imported");
    }
    JsonNode time = PresetFields.utcTime(record.get("timestamp"));
    if (time == null || time.isNull()) {
      return PresetFields.noTime("timestamp");
    }
    String distinctId = id(record.get("distinct_id"));
    String uuid = id(record.get("uuid"));
    ObjectNode properties = properties(record.get("properties"));
    if (properties == null) {
      return new PresetRecord.Invalid(
          new ItemError(
              400, "invalid_metadata", "Field 'properties' holds no JSON object", "metadata"));
    }
    return switch (name) {
      case "$identify" ->
          new PresetRecord.Identify(
              PresetFields.identify(
                  id(properties.get("$anon_distinct_id")),
                  distinctId,
                  properties.get("$set"),
                  time,
                  uuid));
      case "$create_alias", "$merge_dangerously" ->
          new PresetRecord.Identify(
              PresetFields.identify(id(properties.get("alias")), distinctId, null, time, uuid));
      case "$set" ->
          new PresetRecord.Identify(
              PresetFields.identify(null, distinctId, properties.get("$set"), time, uuid));
      default -> {
        properties.remove("$set");
        properties.remove("$set_once");
        yield new PresetRecord.Event(
            PresetFields.event(event, distinctId, time, uuid, properties), null);
      }
    };
  }

  /**
   * The properties as an object: absent is empty, a JSON string is parsed; null when they are
   * something else.
   */
  private ObjectNode properties(JsonNode value) {
    if (value == null || value.isNull()) {
      return json.createObjectNode();
    }
    if (value.isTextual()) {
      try {
        return object(json.readTree(value.textValue()));
      } catch (JsonProcessingException e) {
        return null;
      }
    }
    return object(value);
  }
}
