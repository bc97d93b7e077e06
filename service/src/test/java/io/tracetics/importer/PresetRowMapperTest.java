package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresetRowMapperTest {

  private static List<MappedRow> map(ImportPreset preset, String text) throws IOException {
    RowMapper mapper =
        RowMapper.open(
            new StringReader(text), ImportOptions.of(1, Path.of("export.gz")).withPreset(preset));
    assertInstanceOf(PresetRowMapper.class, mapper);
    return MappedRows.readAll(mapper);
  }

  @Test
  void eachKindOfRecordBecomesItsRowWithItsLine() throws IOException {
    List<MappedRow> rows =
        map(
            ImportPreset.SEGMENT,
            String.join(
                "\n",
                "{\"type\":\"track\",\"event\":\"a\",\"userId\":\"u\",\"timestamp\":\"2026-01-02T00:00:00Z\"}",
                "",
                "{\"type\":\"identify\",\"userId\":\"u\",\"anonymousId\":\"x\","
                    + "\"timestamp\":\"2026-01-02T00:00:00Z\"}",
                "{\"type\":\"group\",\"groupId\":\"g\"}",
                "{\"type\":\"track\"",
                "{\"type\":\"nope\"}"));
    assertEquals(5, rows.size());
    assertEquals(1, assertInstanceOf(MappedRow.Event.class, rows.get(0)).line());
    assertEquals(3, assertInstanceOf(MappedRow.Identify.class, rows.get(1)).line());
    MappedRow.Skipped skipped = assertInstanceOf(MappedRow.Skipped.class, rows.get(2));
    assertEquals(4, skipped.line());
    assertEquals("Segment group calls are not imported", skipped.reason());
    assertEquals(
        "malformed_json", assertInstanceOf(MappedRow.Rejected.class, rows.get(3)).error().error());
    MappedRow.Rejected unknown = assertInstanceOf(MappedRow.Rejected.class, rows.get(4));
    assertEquals(6, unknown.line());
    assertEquals("{\"type\":\"nope\"}", unknown.raw());
  }

  @Test
  void aLinkEventsImplyIsPassedOnTheFirstTimeOnly() throws IOException {
    String signedIn =
        "{\"event_type\":\"e\",\"user_id\":\"u1\",\"device_id\":\"d1\","
            + "\"event_time\":\"2026-01-02 03:04:05\"}\n";
    String otherDevice =
        "{\"event_type\":\"e\",\"user_id\":\"u1\",\"device_id\":\"d2\","
            + "\"event_time\":\"2026-01-02 03:04:06\"}\n";
    List<MappedRow> rows =
        map(ImportPreset.AMPLITUDE, signedIn + signedIn + otherDevice + signedIn);
    List<MappedRow.Event> events =
        rows.stream().map(r -> assertInstanceOf(MappedRow.Event.class, r)).toList();
    assertNotNull(events.get(0).impliedIdentify());
    assertNull(events.get(1).impliedIdentify());
    assertEquals("d2", events.get(2).impliedIdentify().get("anonymous_id").asText());
    assertNull(events.get(3).impliedIdentify());
  }
}
