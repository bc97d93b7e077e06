package io.tracetics.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.errors.ApiException;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.ItemError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The records of an NDJSON text: blank lines are skipped, each other line is parsed with the API's
 * JSON limits ({@link EventParser#readBody}) and must be an object; a line that is not comes back
 * rejected with its line number. What a record becomes is up to the caller's {@link Mapping}.
 */
final class JsonLines {
  /** Maps one record (a freshly parsed object the mapping may change) onto a row. */
  interface Mapping {
    MappedRow map(ObjectNode record, long line, String text);
  }

  private final EventParser parser = new EventParser();
  private final BufferedReader lines;
  private long line;

  JsonLines(BufferedReader lines) {
    this.lines = lines;
  }

  /** The next record mapped, or rejected when it is not a JSON object; null at the end. */
  MappedRow next(Mapping mapping) throws IOException {
    String text;
    while ((text = lines.readLine()) != null) {
      line++;
      if (!text.isBlank()) {
        return parse(text, mapping);
      }
    }
    return null;
  }

  private MappedRow parse(String text, Mapping mapping) {
    JsonNode doc;
    try {
      doc = parser.readBody(text.getBytes(StandardCharsets.UTF_8));
    } catch (ApiException e) {
      return new MappedRow.Rejected(
          line, new ItemError(400, e.error(), e.getMessage(), null), text);
    }
    if (!(doc instanceof ObjectNode record)) {
      return new MappedRow.Rejected(
          line, new ItemError(400, "invalid_event", "An event must be a JSON object", null), text);
    }
    return mapping.map(record, line, text);
  }
}
