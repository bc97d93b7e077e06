package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tracetics.ingest.ItemError;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonRowMapperTest {
  private static final ImportOptions DEFAULTS = ImportOptions.of(1, Path.of("events.ndjson"));

  private static List<MappedRow> map(String text, ImportOptions options) throws IOException {
    RowMapper mapper = RowMapper.open(new StringReader(text), options);
    assertInstanceOf(NdjsonRowMapper.class, mapper);
    return MappedRows.readAll(mapper);
  }

  private static List<MappedRow> map(String text) throws IOException {
    return map(text, DEFAULTS);
  }

  private static String event(MappedRow row) {
    return assertInstanceOf(MappedRow.Event.class, row).event().toString();
  }

  private static MappedRow.Rejected rejected(MappedRow row) {
    return assertInstanceOf(MappedRow.Rejected.class, row);
  }

  @Test
  void mapsTheApiFieldsAndTheRestIntoMetadata() throws IOException {
    List<MappedRow> rows =
        map(
            "{\"event_name\":\"buy\",\"user_identifier\":\"u1\",\"timestamp\":1700000000000,"
                + "\"price\":9.5,\"sku\":null,\"sent_at\":1,\"event_id\":\"e-1\"}\n");
    assertEquals(
        "{\"user_identifier\":\"u1\",\"event_name\":\"buy\",\"event_id\":\"e-1\","
            + "\"metadata\":{\"price\":9.5},\"timestamp\":1700000000000}",
        event(rows.get(0)));
  }

  @Test
  void dottedPathsReachIntoNestedObjectsAndLeaveTheRestAsMetadata() throws IOException {
    ImportOptions options =
        DEFAULTS
            .withMapping("properties.distinct_id", "event", "properties.time", "s")
            .withIdColumn("properties.$insert_id");
    List<MappedRow> rows =
        map(
            "{\"event\":\"buy\",\"properties\":{\"distinct_id\":\"u1\",\"time\":1700000000,"
                + "\"$insert_id\":\"i-1\",\"plan\":\"pro\"},\"source\":\"ads\"}\n"
                // a nested object emptied by the mapping is dropped
                + "{\"event\":\"buy\",\"properties\":{\"distinct_id\":\"u2\",\"time\":1}}\n"
                // a top-level field with the dotted name comes first
                + "{\"event\":\"buy\",\"properties.distinct_id\":\"flat\","
                + "\"properties\":{\"distinct_id\":\"nested\",\"time\":2}}\n"
                // the path leads nowhere: no user, left to the API's rule
                + "{\"event\":\"buy\",\"properties\":\"text\",\"time\":3}\n",
            options);
    assertEquals(
        "{\"user_identifier\":\"u1\",\"event_name\":\"buy\",\"event_id\":\"i-1\","
            + "\"metadata\":{\"properties\":{\"plan\":\"pro\"},\"source\":\"ads\"},"
            + "\"timestamp\":1700000000000}",
        event(rows.get(0)));
    assertEquals(
        "{\"user_identifier\":\"u2\",\"event_name\":\"buy\",\"timestamp\":1000}",
        event(rows.get(1)));
    assertEquals(
        "{\"user_identifier\":\"flat\",\"event_name\":\"buy\","
            + "\"metadata\":{\"properties\":{\"distinct_id\":\"nested\"}},\"timestamp\":2000}",
        event(rows.get(2)));
    assertEquals("missing_field", rejected(rows.get(3)).error().error());
  }

  @Test
  void aMetadataColumnMergesTheFieldsOfANestedObject() throws IOException {
    ImportOptions options =
        DEFAULTS
            .withMapping("properties.distinct_id", "event", "properties.time", "ms")
            .withMetadataColumn("properties");
    List<MappedRow> rows =
        map(
            "{\"event\":\"buy\",\"plan\":\"free\",\"metadata\":{\"a\":1},"
                + "\"properties\":{\"distinct_id\":\"u1\",\"time\":5,\"plan\":\"pro\"}}\n",
            options);
    // The metadata object's keys win over top-level ones; 'metadata' is an ordinary field now.
    assertEquals(
        "{\"user_identifier\":\"u1\",\"event_name\":\"buy\","
            + "\"metadata\":{\"plan\":\"pro\",\"metadata\":{\"a\":1}},\"timestamp\":5}",
        event(rows.get(0)));
  }

  @Test
  void nestedMetadataMergesWithTopLevelKeys() throws IOException {
    List<MappedRow> rows =
        map(
            "{\"metadata\":{\"a\":1},\"b\":2,\"user_identifier\":\"u\",\"event_name\":\"e\","
                + "\"timestamp\":\"2024-01-01T00:00:00Z\"}\n"
                + "{\"metadata\":[1],\"b\":2,\"user_identifier\":\"u\",\"event_name\":\"e\","
                + "\"timestamp\":1}\n");
    assertEquals(
        "{\"user_identifier\":\"u\",\"event_name\":\"e\",\"metadata\":{\"b\":2,\"a\":1},"
            + "\"timestamp\":\"2024-01-01T00:00:00Z\"}",
        event(rows.get(0)));
    // Not an object: passed on for the API's rule to refuse.
    assertEquals(
        "{\"user_identifier\":\"u\",\"event_name\":\"e\",\"metadata\":[1],\"timestamp\":1}",
        event(rows.get(1)));
  }

  @Test
  void renamedColumnsAndAnEmptyIdAreMapped() throws IOException {
    ImportOptions options = DEFAULTS.withMapping("who", "what", "when", "s").withIdColumn("key");
    List<MappedRow> rows =
        map(
            "{\"who\":\"u\",\"what\":\"e\",\"when\":\"12\",\"key\":\"\",\"event_id\":\"x\"}",
            options);
    assertEquals(
        "{\"user_identifier\":\"u\",\"event_name\":\"e\",\"metadata\":{\"event_id\":\"x\"},"
            + "\"timestamp\":12000}",
        event(rows.get(0)));
  }

  @Test
  void oddLinesAreRejectedWithTheirLineNumbers() throws IOException {
    List<MappedRow> rows =
        map(
            "\n"
                + "{\"user_identifier\":\"u\",\"event_name\":\"e\"\n" // broken JSON
                + "   \n"
                + "[1,2]\n"
                + "{\"user_identifier\":\"u\",\"event_name\":\"e\",\"timestamp\":null}\n"
                + "{\"user_identifier\":\"u\",\"event_name\":\"e\",\"timestamp\":1}");
    assertEquals(4, rows.size());
    MappedRow.Rejected broken = rejected(rows.get(0));
    assertEquals(2, broken.line());
    assertEquals("malformed_json", broken.error().error());
    assertEquals("{\"user_identifier\":\"u\",\"event_name\":\"e\"", broken.raw());
    assertEquals(
        new ItemError(400, "invalid_event", "An event must be a JSON object", null),
        rejected(rows.get(1)).error());
    assertEquals(4, rejected(rows.get(1)).line());
    assertEquals("missing_field", rejected(rows.get(2)).error().error());
    assertEquals(6, assertInstanceOf(MappedRow.Event.class, rows.get(3)).line());
  }

  @Test
  void aTimeThatIsNoIntegerInSecondsIsRejected() throws IOException {
    List<MappedRow> rows =
        map(
            "{\"user_identifier\":\"u\",\"event_name\":\"e\",\"timestamp\":1.5}\n"
                + "{\"user_identifier\":\"u\",\"event_name\":\"e\",\"timestamp\":\"soon\"}\n",
            DEFAULTS.withMapping(null, null, null, "s"));
    // A fraction is a number, left to the API's rule; text that is no integer is refused here.
    assertEquals(
        "{\"user_identifier\":\"u\",\"event_name\":\"e\",\"timestamp\":1.5}", event(rows.get(0)));
    assertEquals("invalid_timestamp", rejected(rows.get(1)).error().error());
  }
}
