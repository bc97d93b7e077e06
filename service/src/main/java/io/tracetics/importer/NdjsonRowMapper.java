package io.tracetics.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Map;

/**
 * Maps NDJSON lines ({@link JsonLines}) onto the API's event object. The user, event name, time and
 * id columns, and the metadata column, are {@link FieldPath}s: top-level names or dotted paths into
 * nested objects. The fields of the metadata object ({@code metadata} unless named otherwise)
 * become metadata keys, merged over the record's other fields, which become metadata keys too (a
 * metadata value that is not an object is passed on for the API's rule to refuse); null values and
 * {@code sent_at} (clock-skew correction is for live clients, not history) are dropped. A mapped
 * nested field is taken out of its object, so what is left of the object is metadata without it.
 */
final class NdjsonRowMapper implements RowMapper {
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private final JsonLines lines;
  private final FieldPath user;
  private final FieldPath event;
  private final FieldPath time;
  private final FieldPath id;
  private final FieldPath metadata;
  private final TimeColumn timeColumn;

  NdjsonRowMapper(BufferedReader lines, ImportOptions options) {
    this.lines = new JsonLines(lines);
    this.user = FieldPath.of(options.userColumn(), "--user-column");
    this.event = FieldPath.of(options.eventColumn(), "--event-column");
    this.time = FieldPath.of(options.timeColumn(), "--time-column");
    this.id =
        FieldPath.of(
            options.idColumn() == null ? Importer.DEFAULT_ID_COLUMN : options.idColumn(),
            "--id-column");
    this.metadata = FieldPath.of(options.metadataColumn(), "--metadata-column");
    this.timeColumn = new TimeColumn(options.timeColumn(), options.timeUnit());
  }

  @Override
  public MappedRow next() throws IOException {
    return lines.next(this::map);
  }

  private MappedRow map(ObjectNode record, long line, String text) {
    ObjectNode node = nodes.objectNode();
    JsonNode userValue = user.take(record);
    if (userValue != null) {
      node.set("user_identifier", userValue);
    }
    JsonNode eventValue = event.take(record);
    if (eventValue != null) {
      node.set("event_name", eventValue);
    }
    JsonNode timeValue = time.take(record);
    JsonNode idValue = id.take(record);
    if (idValue != null && !(idValue.isTextual() && idValue.textValue().isEmpty())) {
      node.set("event_id", idValue);
    }
    JsonNode nested = metadata.take(record);
    ObjectNode fields = nodes.objectNode();
    for (Map.Entry<String, JsonNode> field : record.properties()) {
      if (!field.getKey().equals("sent_at") && !field.getValue().isNull()) {
        fields.set(field.getKey(), field.getValue());
      }
    }
    if (nested != null && !nested.isNull()) {
      if (nested.isObject()) {
        nested.properties().forEach(e -> fields.set(e.getKey(), e.getValue()));
      } else {
        node.set("metadata", nested); // refused by the API's rule
      }
    }
    if (!node.has("metadata") && !fields.isEmpty()) {
      node.set("metadata", fields);
    }
    return timeColumn.complete(
        node, timeValue == null || timeValue.isNull() ? null : timeValue, line, text);
  }
}
