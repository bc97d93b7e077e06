package io.tracetics.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.errors.ApiException;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.ItemError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Maps NDJSON lines onto the API's event object. Blank lines are skipped; a line is parsed with the
 * API's JSON limits ({@link EventParser#readBody}) and must be an object. Fields other than the
 * mapped ones become metadata keys, merged with a nested {@code metadata} object (a nested value
 * that is not an object is passed on for the API's rule to refuse); null values and {@code sent_at}
 * (clock-skew correction is for live clients, not history) are dropped.
 */
final class NdjsonRowMapper implements RowMapper {
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private final EventParser parser = new EventParser();
  private final BufferedReader lines;
  private final ImportOptions options;
  private final String idName;
  private final TimeColumn timeColumn;
  private long line;

  NdjsonRowMapper(BufferedReader lines, ImportOptions options) {
    this.lines = lines;
    this.options = options;
    this.idName = options.idColumn() == null ? Importer.DEFAULT_ID_COLUMN : options.idColumn();
    this.timeColumn = new TimeColumn(options.timeColumn(), options.timeUnit());
  }

  @Override
  public MappedRow next() throws IOException {
    String text;
    while ((text = lines.readLine()) != null) {
      line++;
      if (!text.isBlank()) {
        return map(text);
      }
    }
    return null;
  }

  private MappedRow map(String text) {
    JsonNode doc;
    try {
      doc = parser.readBody(text.getBytes(StandardCharsets.UTF_8));
    } catch (ApiException e) {
      return new MappedRow.Rejected(
          line, new ItemError(400, e.error(), e.getMessage(), null), text);
    }
    if (!doc.isObject()) {
      return new MappedRow.Rejected(
          line, new ItemError(400, "invalid_event", "An event must be a JSON object", null), text);
    }
    ObjectNode node = nodes.objectNode();
    ObjectNode metadata = nodes.objectNode();
    JsonNode time = null;
    JsonNode nested = null;
    for (Map.Entry<String, JsonNode> field : doc.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals(options.userColumn())) {
        node.set("user_identifier", value);
      } else if (name.equals(options.eventColumn())) {
        node.set("event_name", value);
      } else if (name.equals(options.timeColumn())) {
        time = value.isNull() ? null : value;
      } else if (name.equals(idName)) {
        if (!(value.isTextual() && value.textValue().isEmpty())) {
          node.set("event_id", value);
        }
      } else if (name.equals("metadata")) {
        nested = value;
      } else if (!name.equals("sent_at") && !value.isNull()) {
        metadata.set(name, value);
      }
    }
    if (nested != null && !nested.isNull()) {
      if (nested.isObject()) {
        nested.properties().forEach(e -> metadata.set(e.getKey(), e.getValue()));
      } else {
        node.set("metadata", nested); // refused by the API's rule
      }
    }
    if (!node.has("metadata") && !metadata.isEmpty()) {
      node.set("metadata", metadata);
    }
    return timeColumn.complete(node, time, line, text);
  }
}
