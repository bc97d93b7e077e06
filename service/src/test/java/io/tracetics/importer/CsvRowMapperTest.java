package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.ingest.ItemError;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRowMapperTest {
  private static final ImportOptions DEFAULTS = ImportOptions.of(1, Path.of("events.csv"));

  private static List<MappedRow> map(String text, ImportOptions options) throws IOException {
    RowMapper mapper = RowMapper.open(new StringReader(text), options);
    return MappedRows.readAll(mapper);
  }

  private static List<MappedRow> map(String text) throws IOException {
    return map(text, DEFAULTS);
  }

  private static ItemError rejected(MappedRow row) {
    return assertInstanceOf(MappedRow.Rejected.class, row).error();
  }

  private static String event(MappedRow row) {
    return assertInstanceOf(MappedRow.Event.class, row).event().toString();
  }

  @Test
  void aDottedColumnNameIsJustAColumnName() throws IOException {
    // CSV has no nesting: a header with dots (a flattened export) is named as written.
    List<MappedRow> rows =
        map(
            "properties.distinct_id,event,properties.time,properties.plan\nu1,buy,1700000000,pro\n",
            DEFAULTS.withMapping("properties.distinct_id", "event", "properties.time", "s"));
    assertEquals(
        "{\"event_name\":\"buy\",\"user_identifier\":\"u1\","
            + "\"metadata\":{\"properties.plan\":\"pro\"},\"timestamp\":1700000000000}",
        event(rows.get(0)));
  }

  @Test
  void mapsTheNamedColumnsAndTheRestIntoMetadata() throws IOException {
    List<MappedRow> rows =
        map("plan,user_identifier,timestamp,event_name\r\npro,u1,1700000000000,signup\r\n");
    assertEquals(1, rows.size());
    MappedRow.Event row = assertInstanceOf(MappedRow.Event.class, rows.get(0));
    assertEquals(
        "{\"event_name\":\"signup\",\"user_identifier\":\"u1\",\"metadata\":{\"plan\":\"pro\"},"
            + "\"timestamp\":1700000000000}",
        row.event().toString());
    assertEquals(2, row.line());
    assertEquals("pro,u1,1700000000000,signup", row.raw());
  }

  @Test
  void emptyFieldsAreLeftOutAndAnEventIdColumnIsTheId() throws IOException {
    List<MappedRow> rows =
        map("event_name,user_identifier,timestamp,event_id,plan\n,u1,5,,\nbuy,u2,6,x-1,\n");
    assertEquals("{\"user_identifier\":\"u1\",\"timestamp\":5}", event(rows.get(0)));
    assertEquals(
        "{\"event_name\":\"buy\",\"user_identifier\":\"u2\",\"event_id\":\"x-1\",\"timestamp\":6}",
        event(rows.get(1)));
  }

  @Test
  void quotedFieldsKeepCommasQuotesAndLineBreaks() throws IOException {
    List<MappedRow> rows =
        map(
            "event_name,user_identifier,timestamp,note\nview,u1,1,\"a, \"\"b\"\"\nc\"\nbuy,u1,2,\n");
    assertEquals(
        "{\"event_name\":\"view\",\"user_identifier\":\"u1\",\"metadata\":{\"note\":\"a, \\\"b\\\"\\nc\"},"
            + "\"timestamp\":1}",
        event(rows.get(0)));
    assertEquals(4, ((MappedRow.Event) rows.get(1)).line()); // the quoted line break counts
  }

  @Test
  void oddRowsAreRejectedAlone() throws IOException {
    List<MappedRow> rows =
        map(
            "event_name,user_identifier,timestamp\n"
                + "view,u1\n" // too few fields
                + "view,u1,1,extra\n" // too many
                + "view,\"u1\"x,1\n" // text after a closing quote
                + "view,u1,\n" // no time
                + "\n" // blank: skipped
                + "buy,u1,2\n"
                + "view,\"u2,3\n"); // quote never closed
    assertEquals(6, rows.size());
    assertEquals(
        new ItemError(400, "invalid_row", "Expected 3 columns, found 2", null),
        rejected(rows.get(0)));
    assertEquals("Expected 3 columns, found 4", rejected(rows.get(1)).message());
    assertEquals(
        new ItemError(400, "invalid_row", "Unexpected character after a closing quote", null),
        rejected(rows.get(2)));
    assertEquals(
        new ItemError(
            400,
            "missing_field",
            "The time column 'timestamp' is empty; an imported row needs one",
            "timestamp"),
        rejected(rows.get(3)));
    assertEquals("view,u1,", ((MappedRow.Rejected) rows.get(3)).raw());
    assertInstanceOf(MappedRow.Event.class, rows.get(4));
    assertEquals(
        "A quoted field is not closed before the end of the file", rejected(rows.get(5)).message());
    assertEquals(8, ((MappedRow.Rejected) rows.get(5)).line());
  }

  @Test
  void secondsBecomeMillisecondsAndOtherTimesAreRejected() throws IOException {
    ImportOptions seconds = DEFAULTS.withMapping("who", "what", "when", "s");
    List<MappedRow> rows =
        map("who,what,when\nu,e,1700000000\nu,e,-2\nu,e,1.5\nu,e,99999999999999999\n", seconds);
    assertEquals(
        "{\"event_name\":\"e\",\"user_identifier\":\"u\",\"timestamp\":1700000000000}",
        event(rows.get(0)));
    assertEquals(
        "{\"event_name\":\"e\",\"user_identifier\":\"u\",\"timestamp\":-2000}", event(rows.get(1)));
    assertEquals(
        new ItemError(
            400,
            "invalid_timestamp",
            "The time column 'when' must hold epoch seconds (an integer)",
            "timestamp"),
        rejected(rows.get(2)));
    assertEquals("invalid_timestamp", rejected(rows.get(3)).error()); // overflows as ms
  }

  @Test
  void timeUnitsDecideWhatTextMeans() throws IOException {
    String csv = "user_identifier,event_name,timestamp\nu,e,2024-01-01T00:00:00Z\nu,e,17\n";
    List<MappedRow> auto = map(csv);
    assertEquals("\"2024-01-01T00:00:00Z\"", timestamp(auto.get(0)));
    assertEquals("17", timestamp(auto.get(1)));
    List<MappedRow> ms = map(csv, DEFAULTS.withMapping(null, null, null, "ms"));
    assertEquals(
        "The time column 'timestamp' must hold epoch milliseconds (an integer)",
        rejected(ms.get(0)).message());
    List<MappedRow> iso = map(csv, DEFAULTS.withMapping(null, null, null, "iso"));
    assertEquals("\"17\"", timestamp(iso.get(1)));
  }

  private static String timestamp(MappedRow row) {
    return assertInstanceOf(MappedRow.Event.class, row).event().get("timestamp").toString();
  }

  @Test
  void withoutAHeaderTheColumnsAreNamedByOption() throws IOException {
    ImportOptions options =
        DEFAULTS.withoutHeader(List.of("user_identifier", "event_name", "timestamp"));
    List<MappedRow> rows = map("u,e,5\n", options);
    assertEquals(1, rows.size());
    assertEquals(1, ((MappedRow.Event) rows.get(0)).line());
    ImportException none =
        assertThrows(ImportException.class, () -> map("u,e,5\n", DEFAULTS.withoutHeader(null)));
    assertEquals("Without a header row, --columns must name the columns", none.getMessage());
  }

  @Test
  void badColumnMappingsFailTheImport() {
    assertEquals(
        "Column names repeat: [a, a, timestamp]",
        assertThrows(ImportException.class, () -> map("a,a,timestamp\n")).getMessage());
    assertEquals(
        "Column 'user_identifier' (--user-column) is not among the columns [event_name, timestamp]",
        assertThrows(ImportException.class, () -> map("event_name,timestamp\n")).getMessage());
    assertEquals(
        "Column 'id' (--id-column) is not among the columns"
            + " [user_identifier, event_name, timestamp]",
        assertThrows(
                ImportException.class,
                () -> map("user_identifier,event_name,timestamp\n", DEFAULTS.withIdColumn("id")))
            .getMessage());
    assertEquals(
        "The header row is not valid CSV: A quoted field is not closed before the end of the file",
        assertThrows(ImportException.class, () -> map("\"a,b\n")).getMessage());
  }

  @Test
  void anEmptyFileHasNoRows() throws IOException {
    assertEquals(List.of(), map(""));
    assertEquals(List.of(), map("user_identifier,event_name,timestamp\n"));
  }
}
