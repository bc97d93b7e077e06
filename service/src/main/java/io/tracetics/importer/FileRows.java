package io.tracetics.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.errors.ApiException;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.ItemError;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The rows of a CSV or NDJSON file (gzip detected by its magic bytes, UTF-8, a byte-order mark
 * skipped), mapped onto the API's event object by {@link ImportOptions}: the user, event name, time
 * and id columns become the API's fields, every other column a metadata key. The time is converted
 * by {@code --time-unit}; a row without a time, with a time that is not the unit's integer, or that
 * is not valid CSV is rejected here, everything else is validated by the importer.
 */
final class FileRows implements RowSource, AutoCloseable {
  private final ImportOptions options;
  private final EventParser parser = new EventParser();
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private final long fileSize;
  private final CountingInputStream counted;
  private long rows;

  private FileRows(ImportOptions options, long fileSize, CountingInputStream counted) {
    this.options = options;
    this.fileSize = fileSize;
    this.counted = counted;
  }

  /** Opens the file; an {@link ImportException} when there is none. */
  static FileRows open(ImportOptions options) throws IOException {
    try {
      long size = Math.max(1, Files.size(options.file()));
      return new FileRows(
          options, size, new CountingInputStream(Files.newInputStream(options.file())));
    } catch (NoSuchFileException e) {
      throw new ImportException("No such file: " + options.file());
    }
  }

  @Override
  public double fractionRead() {
    return Math.min(1.0, counted.count() / (double) fileSize);
  }

  @Override
  public void read(Sink sink) throws IOException {
    try (Reader reader = decode(counted)) {
      if (options.effectiveFormat().equals("ndjson")) {
        readNdjson(new BufferedReader(reader, 1 << 16), sink);
      } else {
        readCsv(reader, sink);
      }
    } catch (CharacterCodingException e) {
      throw new ImportException(
          "The file is not valid UTF-8 (after row "
              + rows
              + "); rows before it may have been stored. Fix the file and run the import"
              + " again: rows already stored are skipped");
    }
  }

  @Override
  public void close() throws IOException {
    counted.close();
  }

  private static Reader decode(InputStream raw) throws IOException {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    PushbackReader reader =
        new PushbackReader(
            new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)),
            1);
    int first = reader.read();
    if (first != -1 && first != '\uFEFF') {
      reader.unread(first); // a byte-order mark is skipped, anything else kept
    }
    return reader;
  }

  // ---- CSV

  private void readCsv(Reader reader, Sink sink) throws IOException {
    CsvRecords records = new CsvRecords(reader);
    List<String> names;
    if (options.header()) {
      CsvRecords.Row header = records.next();
      if (header == null) {
        return;
      }
      if (header.error() != null) {
        throw new ImportException("The header row is not valid CSV: " + header.error());
      }
      names = header.fields();
    } else {
      if (options.columns().isEmpty()) {
        throw new ImportException("Without a header row, --columns must name the columns");
      }
      names = options.columns();
    }
    if (new HashSet<>(names).size() != names.size()) {
      throw new ImportException("Column names repeat: " + names);
    }
    int user = column(names, options.userColumn(), "--user-column");
    int event = column(names, options.eventColumn(), "--event-column");
    int time = column(names, options.timeColumn(), "--time-column");
    int id =
        options.idColumn() == null
            ? names.indexOf(Importer.DEFAULT_ID_COLUMN)
            : column(names, options.idColumn(), "--id-column");

    CsvRecords.Row row;
    while ((row = records.next()) != null) {
      rows++;
      if (row.error() != null) {
        sink.reject(row.line(), new ItemError(400, "invalid_row", row.error(), null), row.raw());
      } else if (row.fields().size() != names.size()) {
        sink.reject(
            row.line(),
            new ItemError(
                400,
                "invalid_row",
                "Expected " + names.size() + " columns, found " + row.fields().size(),
                null),
            row.raw());
      } else {
        List<String> fields = row.fields();
        ObjectNode node = nodes.objectNode();
        putText(node, "event_name", fields.get(event));
        putText(node, "user_identifier", fields.get(user));
        if (id >= 0) {
          putText(node, "event_id", fields.get(id));
        }
        ObjectNode metadata = nodes.objectNode();
        for (int i = 0; i < fields.size(); i++) {
          if (i != user && i != event && i != time && i != id && !fields.get(i).isEmpty()) {
            metadata.put(names.get(i), fields.get(i));
          }
        }
        if (!metadata.isEmpty()) {
          node.set("metadata", metadata);
        }
        String timeText = fields.get(time);
        timed(
            node,
            timeText.isEmpty() ? null : nodes.textNode(timeText),
            row.line(),
            row.raw(),
            sink);
      }
    }
  }

  private void putText(ObjectNode node, String field, String value) {
    if (!value.isEmpty()) {
      node.put(field, value);
    }
  }

  private int column(List<String> names, String name, String option) {
    int index = names.indexOf(name);
    if (index < 0) {
      throw new ImportException(
          "Column '" + name + "' (" + option + ") is not among the columns " + names);
    }
    return index;
  }

  // ---- NDJSON

  private void readNdjson(BufferedReader reader, Sink sink) throws IOException {
    String idName = options.idColumn() == null ? Importer.DEFAULT_ID_COLUMN : options.idColumn();
    String text;
    long line = 0;
    while ((text = reader.readLine()) != null) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      rows++;
      JsonNode doc;
      try {
        doc = parser.readBody(text.getBytes(StandardCharsets.UTF_8));
      } catch (ApiException e) {
        sink.reject(line, new ItemError(400, e.error(), e.getMessage(), null), text);
        continue;
      }
      if (!doc.isObject()) {
        sink.reject(
            line,
            new ItemError(400, "invalid_event", "An event must be a JSON object", null),
            text);
        continue;
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
        } else if (name.equals("sent_at")) {
          continue; // clock-skew correction is for live clients, not history
        } else if (!value.isNull()) {
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
      timed(node, time, line, text, sink);
    }
  }

  // ---- the time

  /** Converts the time by the unit and hands the row over, or rejects it. */
  private void timed(ObjectNode node, JsonNode time, long line, String raw, Sink sink)
      throws IOException {
    if (time == null) {
      sink.reject(
          line,
          new ItemError(
              400,
              "missing_field",
              "The time column '" + options.timeColumn() + "' is empty; an imported row needs one",
              "timestamp"),
          raw);
      return;
    }
    JsonNode converted = convertTime(time);
    if (converted == null) {
      sink.reject(
          line,
          new ItemError(
              400,
              "invalid_timestamp",
              "The time column '"
                  + options.timeColumn()
                  + "' must hold "
                  + (options.timeUnit().equals("s") ? "epoch seconds" : "epoch milliseconds")
                  + " (an integer)",
              "timestamp"),
          raw);
      return;
    }
    node.set("timestamp", converted);
    sink.row(node, line, raw);
  }

  /** The time as the API's {@code timestamp} (epoch ms or ISO text), or null if not an integer. */
  private JsonNode convertTime(JsonNode time) {
    String unit = options.timeUnit();
    if (time.isTextual()) {
      String text = time.textValue();
      if (unit.equals("iso")) {
        return time;
      }
      Long value = integer(text);
      if (value == null) {
        return unit.equals("auto") ? time : null;
      }
      time = nodes.numberNode(value);
    }
    if (unit.equals("s") && time.isIntegralNumber()) {
      if (!time.canConvertToLong()) {
        return null;
      }
      try {
        return nodes.numberNode(Math.multiplyExact(time.longValue(), 1000L));
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return time; // numbers and other types: the API's rule decides
  }

  private static Long integer(String text) {
    int start = text.startsWith("-") ? 1 : 0;
    if (text.length() == start || text.length() > 19 + start) {
      return null;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Counts the bytes read from the file, for progress on compressed input too. */
  private static final class CountingInputStream extends FilterInputStream {
    private volatile long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
