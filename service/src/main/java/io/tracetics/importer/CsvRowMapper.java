package io.tracetics.importer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;
import java.io.IOException;
import java.io.Reader;
import java.util.HashSet;
import java.util.List;

/**
 * Maps CSV records ({@link CsvRecords}) onto the API's event object. The columns are named by the
 * header row, or by {@code --columns} without one; an empty field is left out (the API then reports
 * a missing field, or the metadata key is absent). A record that is not valid CSV, or has another
 * number of fields than there are columns, is rejected.
 */
final class CsvRowMapper implements RowMapper {
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private final CsvRecords records;
  private final List<String> names;
  private final TimeColumn timeColumn;
  private final int user;
  private final int event;
  private final int time;
  private final int id;

  private CsvRowMapper(CsvRecords records, List<String> names, ImportOptions options) {
    if (new HashSet<>(names).size() != names.size()) {
      throw new ImportException("Column names repeat: " + names);
    }
    this.records = records;
    this.names = names;
    this.timeColumn = new TimeColumn(options.timeColumn(), options.timeUnit());
    this.user = column(names, options.userColumn(), "--user-column");
    this.event = column(names, options.eventColumn(), "--event-column");
    this.time = column(names, options.timeColumn(), "--time-column");
    this.id =
        options.idColumn() == null
            ? names.indexOf(Importer.DEFAULT_ID_COLUMN)
            : column(names, options.idColumn(), "--id-column");
  }

  /**
   * Reads the header row when the options say there is one and maps the columns; an {@link
   * ImportException} when they cannot be mapped. An empty text has no rows.
   */
  static RowMapper open(Reader text, ImportOptions options) throws IOException {
    CsvRecords records = new CsvRecords(text);
    List<String> names;
    if (options.header()) {
      CsvRecords.Row header = records.next();
      if (header == null) {
        return () -> null;
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
    return new CsvRowMapper(records, names, options);
  }

  @Override
  public MappedRow next() throws IOException {
    CsvRecords.Row row = records.next();
    return row == null ? null : map(row);
  }

  private MappedRow map(CsvRecords.Row row) {
    if (row.error() != null) {
      return new MappedRow.Rejected(
          row.line(), new ItemError(400, "invalid_row", row.error(), null), row.raw());
    }
    List<String> fields = row.fields();
    if (fields.size() != names.size()) {
      return new MappedRow.Rejected(
          row.line(),
          new ItemError(
              400,
              "invalid_row",
              "Expected " + names.size() + " columns, found " + fields.size(),
              null),
          row.raw());
    }
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
    return timeColumn.complete(
        node, timeText.isEmpty() ? null : nodes.textNode(timeText), row.line(), row.raw());
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (!value.isEmpty()) {
      node.put(field, value);
    }
  }

  private static int column(List<String> names, String name, String option) {
    int index = names.indexOf(name);
    if (index < 0) {
      throw new ImportException(
          "Column '" + name + "' (" + option + ") is not among the columns " + names);
    }
    return index;
  }
}
