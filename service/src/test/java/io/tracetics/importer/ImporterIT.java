package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.testing.TestJdbi;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImporterIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Jdbi jdbi;
  private Importer importer;

  @BeforeEach
  void setUp() {
    jdbi = TestJdbi.create();
    importer = new Importer(jdbi, Clock.systemUTC());
  }

  @AfterEach
  void removeImportedEvents() {
    cleanUp(jdbi);
  }

  @Test
  void mapsColumnsToUserEventTimeAndMetadata() throws IOException {
    long app = newApp(jdbi);
    Path file =
        write(
            "rows.csv",
            "uid,action,ts,plan,city,note\r\n"
                + "u1,signup,1700000000,pro,\"Marseille, France\",\r\n"
                + "u2,visit,1700000060,,\"say \"\"hi\"\"\nsecond line\",x\r\n");
    ImportSummary summary =
        importer.run(
            ImportOptions.of(app, file).withMapping("uid", "action", "ts", "s"), (f, r) -> {});

    assertEquals(2, summary.rows());
    assertEquals(2, summary.stored());
    assertEquals(0, summary.rejected());
    assertNull(summary.rejectsFile());
    List<Map<String, Object>> rows = events(app);
    assertEquals(2, rows.size());
    Map<String, Object> first = rows.get(0);
    assertEquals("u1", first.get("user_identifier"));
    assertEquals("signup", first.get("event_name"));
    assertEquals(1_700_000_000_000L, first.get("event_time_ms"));
    assertEquals(
        JSON.readTree("{\"plan\":\"pro\",\"city\":\"Marseille, France\"}"),
        JSON.readTree((String) first.get("metadata")));
    assertTrue(
        ((String) first.get("client_event_id")).matches("import-000000000001-[0-9a-f]{32}"),
        "derived id: record number first, then 128 bits of the content hash");
    Map<String, Object> second = rows.get(1);
    assertTrue(((String) second.get("client_event_id")).startsWith("import-000000000002-"));
    assertEquals("u2", second.get("user_identifier"));
    assertEquals(1_700_000_060_000L, second.get("event_time_ms"));
    assertEquals(
        JSON.readTree("{\"city\":\"say \\\"hi\\\"\\nsecond line\",\"note\":\"x\"}"),
        JSON.readTree((String) second.get("metadata")));
    assertLoaderSeesAll(app, 2);
  }

  @Test
  void csvWithoutHeaderTakesColumnNamesAndIsoOrMillisecondTimes() throws IOException {
    long app = newApp(jdbi);
    Path file =
        write(
            "noheader.csv",
            "\uFEFF7,pv,2017-11-26T01:00:00Z,a\n" + "8,buy,2017-11-26T02:00:00+01:00,b\n");
    ImportSummary summary =
        importer.run(
            ImportOptions.of(app, file)
                .withoutHeader(List.of("user_id", "behavior", "at", "item"))
                .withMapping("user_id", "behavior", "at", "iso"),
            (f, r) -> {});
    assertEquals(2, summary.stored());
    List<Map<String, Object>> rows = events(app);
    assertEquals("7", rows.get(0).get("user_identifier"), "the byte-order mark is dropped");
    assertEquals(1_511_658_000_000L, rows.get(0).get("event_time_ms"));
    assertEquals(1_511_658_000_000L, rows.get(1).get("event_time_ms"));
    assertEquals("{\"item\":\"b\"}", rows.get(1).get("metadata"));

    long ms = newApp(jdbi);
    Path millis = write("ms.csv", "user_identifier,event_name,timestamp\nu,e,1511658000123\n");
    importer.run(ImportOptions.of(ms, millis), (f, r) -> {});
    assertEquals(1_511_658_000_123L, events(ms).get(0).get("event_time_ms"));
  }

  @Test
  void rejectsBadRowsWithTheApiReasonsAndStoresTheGoodOnes() throws IOException {
    long app = newApp(jdbi);
    String longName = "x".repeat(201);
    long future = System.currentTimeMillis() / 1000 + 7200;
    Path file =
        write(
            "bad.csv",
            String.join(
                "\n",
                "user_id,event,ts,plan",
                "u1,signup,1700000000,pro", // line 2: good
                "u2,,1700000000,pro", // 3: no event name
                "u3," + longName + ",1700000000,", // 4: event name too long
                "u4,signup,yesterday,", // 5: not epoch seconds
                "u5,signup," + future + ",", // 6: in the future
                "u6,signup,1700000000", // 7: a column short
                "u7,signup,,pro", // 8: no time
                "   ,signup,1700000000,", // 9: blank user
                "u8,\"unterminated,1700000000,pro", // 10: broken quoting, to the end
                ""));
    Path rejects = dir.resolve("out/rejects.ndjson");
    Files.createDirectories(rejects.getParent());
    ImportSummary summary =
        importer.run(
            ImportOptions.of(app, file)
                .withMapping("user_id", "event", "ts", "s")
                .withRejects(rejects),
            (f, r) -> {});

    assertEquals(9, summary.rows());
    assertEquals(1, summary.stored());
    assertEquals(8, summary.rejected());
    assertEquals(rejects, summary.rejectsFile());
    List<JsonNode> lines = Files.readAllLines(rejects).stream().map(ImporterIT::parse).toList();
    assertEquals(8, lines.size());
    assertReject(lines.get(0), 3, "missing_field", "event_name", "u2,,1700000000,pro");
    assertReject(
        lines.get(1), 4, "invalid_length", "event_name", "u3," + longName + ",1700000000,");
    assertReject(lines.get(2), 5, "invalid_timestamp", "timestamp", "u4,signup,yesterday,");
    assertReject(lines.get(3), 6, "timestamp_in_future", "timestamp", "u5,signup," + future + ",");
    assertReject(lines.get(4), 7, "invalid_row", null, "u6,signup,1700000000");
    assertTrue(lines.get(4).at("/error/message").asText().contains("Expected 4 columns, found 3"));
    assertReject(lines.get(5), 8, "missing_field", "timestamp", "u7,signup,,pro");
    assertReject(lines.get(6), 9, "invalid_length", "user_identifier", "   ,signup,1700000000,");
    assertEquals(10, lines.get(7).get("line").asLong());
    assertEquals("invalid_row", lines.get(7).at("/error/error").asText());
    for (JsonNode line : lines) {
      assertEquals(400, line.at("/error/code").asInt());
      assertTrue(!line.at("/error/message").asText().isEmpty());
    }
    List<Map<String, Object>> stored = events(app);
    assertEquals(1, stored.size());
    assertEquals("u1", stored.get(0).get("user_identifier"));
  }

  @Test
  void importingTheSameFileAgainStoresNothingNew() throws IOException {
    long app = newApp(jdbi);
    StringBuilder csv = new StringBuilder("user_identifier,event_name,timestamp,item\n");
    for (int i = 0; i < 2_500; i++) {
      csv.append("u")
          .append(i % 97)
          .append(",view,")
          .append(1_600_000_000_000L + i)
          .append(",i")
          .append(i % 13)
          .append('\n');
    }
    // Rows identical in content are still separate events.
    csv.append("same,view,1600000000000,\n").append("same,view,1600000000000,\n");
    Path file = write("history.csv", csv.toString());
    ImportOptions options = ImportOptions.of(app, file).withBatching(1_000, 2);

    ImportSummary first = importer.run(options, (f, r) -> {});
    assertEquals(2_502, first.stored());
    assertEquals(0, first.duplicates());
    assertEquals(3, first.batches());

    ImportSummary second = importer.run(options, (f, r) -> {});
    assertEquals(2_502, second.rows());
    assertEquals(0, second.stored());
    assertEquals(2_502, second.duplicates());
    assertEquals(2_502, second.accepted());
    assertEquals(0, second.batches());

    // The same content compressed is the same events.
    Path gz = gzip(file, dir.resolve("history-copy.csv.gz"));
    ImportSummary third = importer.run(ImportOptions.of(app, gz), (f, r) -> {});
    assertEquals(0, third.stored());
    assertEquals(2_502, third.duplicates());

    assertEquals(2_502, events(app).size());
    assertLoaderSeesAll(app, 2_502);
  }

  @Test
  void readsGzipByItsMagicBytes() throws IOException {
    long app = newApp(jdbi);
    Path plain =
        write(
            "g.csv",
            "user_identifier,event_name,timestamp,device\nu1,search,1541548939000,mobile\n"
                + "u1,clickout,1541548999000,mobile\n");
    Path gz = gzip(plain, dir.resolve("no-extension.bin"));
    AtomicLong lastRows = new AtomicLong();
    ImportSummary summary =
        importer.run(ImportOptions.of(app, gz).withFormat("csv"), (f, r) -> lastRows.set(r));
    assertEquals(2, summary.stored());
    assertEquals(2, lastRows.get());
    assertEquals("{\"device\":\"mobile\"}", events(app).get(1).get("metadata"));
  }

  @Test
  void importsNdjsonWithIdsAndTheApiTypes() throws IOException {
    long app = newApp(jdbi);
    Path file =
        write(
            "events.ndjson",
            String.join(
                "\n",
                "{\"event_name\":\"a\",\"user_identifier\":\"u1\",\"timestamp\":\"2026-01-05T10:00:00Z\","
                    + "\"event_id\":\"e1\",\"metadata\":{\"plan\":\"pro\"},\"source\":\"ads\",\"n\":3}",
                "",
                "{\"event_name\":\"a\",\"user_identifier\":\"u1\",\"timestamp\":1767607200000,"
                    + "\"event_id\":\"e1\"}",
                "{\"event_name\":\"b\",\"user_identifier\":42,\"timestamp\":1767607200000}",
                "{\"event_name\":\"b\",\"user_identifier\":\"u2\",\"timestamp\":1767607200000,"
                    + "\"sent_at\":1}",
                "{not json",
                "[1,2]",
                ""));
    ImportSummary summary =
        importer.run(ImportOptions.of(app, file), (f, r) -> {}); // event_id: the default id
    assertEquals(6, summary.rows());
    assertEquals(2, summary.stored());
    assertEquals(1, summary.duplicates(), "the repeated event_id");
    assertEquals(3, summary.rejected());
    List<JsonNode> rejects =
        Files.readAllLines(summary.rejectsFile()).stream().map(ImporterIT::parse).toList();
    assertReject(
        rejects.get(0),
        4,
        "invalid_type",
        "user_identifier",
        "{\"event_name\":\"b\",\"user_identifier\":42,\"timestamp\":1767607200000}");
    assertEquals("malformed_json", rejects.get(1).at("/error/error").asText());
    assertEquals(6, rejects.get(1).get("line").asLong());
    assertEquals("invalid_event", rejects.get(2).at("/error/error").asText());

    List<Map<String, Object>> rows = events(app);
    assertEquals("e1", rows.get(0).get("client_event_id"));
    assertEquals(1_767_607_200_000L, rows.get(0).get("event_time_ms"));
    assertEquals(
        JSON.readTree("{\"plan\":\"pro\",\"source\":\"ads\",\"n\":3}"),
        JSON.readTree((String) rows.get(0).get("metadata")));
    assertEquals(1_767_607_200_000L, rows.get(1).get("event_time_ms"), "sent_at is ignored");
    assertTrue(((String) rows.get(1).get("client_event_id")).startsWith("import-"));
  }

  @Test
  void dottedColumnsReadNestedRecordsAndTheMetadataColumnFlattensOne() throws IOException {
    long app = newApp(jdbi);
    Path file =
        write(
            "nested.jsonl",
            "{\"event\":\"buy\",\"properties\":{\"distinct_id\":\"u1\",\"time\":1767607200,"
                + "\"$insert_id\":\"n-1\",\"price\":9.5},\"source\":\"ads\"}\n"
                + "{\"event\":\"buy\",\"properties\":{\"distinct_id\":\"u2\",\"time\":1767607260,"
                + "\"$insert_id\":\"n-2\"}}\n");
    ImportOptions options =
        ImportOptions.of(app, file)
            .withMapping("properties.distinct_id", "event", "properties.time", "s")
            .withIdColumn("properties.$insert_id")
            .withMetadataColumn("properties");
    ImportSummary summary = importer.run(options, (f, r) -> {});
    assertEquals(2, summary.stored());
    List<Map<String, Object>> rows = events(app);
    assertEquals("u1", rows.get(0).get("user_identifier"));
    assertEquals("n-1", rows.get(0).get("client_event_id"));
    assertEquals(1_767_607_200_000L, rows.get(0).get("event_time_ms"));
    assertEquals(
        JSON.readTree("{\"source\":\"ads\",\"price\":9.5}"),
        JSON.readTree((String) rows.get(0).get("metadata")));
    assertNull(rows.get(1).get("metadata"), "the emptied properties object is not metadata");
    assertEquals(2, importer.run(options, (f, r) -> {}).duplicates());
  }

  @Test
  void refusesAMissingAppAndAnUnknownColumn() throws IOException {
    Path file = write("x.csv", "user_identifier,event_name,timestamp\nu,e,1\n");
    ImportException noApp =
        assertThrows(
            ImportException.class, () -> importer.run(ImportOptions.of(-5, file), (f, r) -> {}));
    assertTrue(noApp.getMessage().contains("App -5 does not exist"), noApp.getMessage());

    long app = newApp(jdbi);
    ImportException noColumn =
        assertThrows(
            ImportException.class,
            () ->
                importer.run(
                    ImportOptions.of(app, file).withMapping("uid", null, null, null),
                    (f, r) -> {}));
    assertTrue(noColumn.getMessage().contains("Column 'uid' (--user-column)"));
    assertEquals(0, events(app).size());

    Path bad = write("bad-row.csv", "user_identifier,event_name,timestamp\nu,,1\n");
    Path nowhere = dir.resolve("missing-dir/rejects.ndjson");
    ImportException noRejects =
        assertThrows(
            ImportException.class,
            () -> importer.run(ImportOptions.of(app, bad).withRejects(nowhere), (f, r) -> {}));
    assertTrue(
        noRejects.getMessage().contains("Cannot write the rejects file " + nowhere),
        noRejects.getMessage());
  }

  @Test
  void anEventIdColumnIsTheIdByDefault() throws IOException {
    long app = newApp(jdbi);
    Path file =
        write(
            "ids.csv",
            "event_id,user_identifier,event_name,timestamp\n"
                + "a-1,u1,view,1600000000000\n"
                + "a-1,u1,view,1600000000000\n"
                + ",u2,view,1600000000000\n");
    ImportSummary summary = importer.run(ImportOptions.of(app, file), (f, r) -> {});
    assertEquals(2, summary.stored());
    assertEquals(1, summary.duplicates());
    List<Map<String, Object>> rows = events(app);
    assertEquals("a-1", rows.get(0).get("client_event_id"));
    assertNull(rows.get(0).get("metadata"));
    assertTrue(((String) rows.get(1).get("client_event_id")).startsWith("import-"));
  }

  // ---- helpers

  private static void assertReject(
      JsonNode line, long number, String error, String field, String raw) {
    assertEquals(number, line.get("line").asLong(), line::toString);
    assertEquals(error, line.at("/error/error").asText(), line::toString);
    if (field == null) {
      assertTrue(line.at("/error/field").isMissingNode(), line::toString);
    } else {
      assertEquals(field, line.at("/error/field").asText(), line::toString);
    }
    assertEquals(raw, line.get("row").asText(), line::toString);
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  static Path gzip(Path from, Path to) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
      Files.copy(from, out);
    }
    return to;
  }

  private List<Map<String, Object>> events(long app) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT user_identifier, event_name, event_time_ms, metadata, client_event_id"
                        + " FROM events WHERE app_id = :app ORDER BY event_time_ms, id")
                .bind("app", app)
                .mapToMap()
                .list());
  }

  /** Every event sits in an ingest_batches row whose count is exact, so the loader copies it. */
  static void assertLoaderSeesAll(Jdbi jdbi, long app, long expected) {
    List<Map<String, Object>> batches =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT b.id, b.event_count, COUNT(e.id) AS n FROM ingest_batches b"
                            + " JOIN events e ON e.batch_id = b.id WHERE e.app_id = :app"
                            + " GROUP BY b.id, b.event_count")
                    .bind("app", app)
                    .mapToMap()
                    .list());
    assertTrue(!batches.isEmpty());
    long total = 0;
    for (Map<String, Object> batch : batches) {
      assertEquals(
          ((Number) batch.get("event_count")).longValue(),
          ((Number) batch.get("n")).longValue(),
          batch::toString);
      total += ((Number) batch.get("n")).longValue();
    }
    assertEquals(expected, total);
  }

  private void assertLoaderSeesAll(long app, long expected) {
    assertLoaderSeesAll(jdbi, app, expected);
  }

  private static final Queue<Long> CREATED = new ConcurrentLinkedQueue<>();

  /**
   * Deletes the events, identifies and batches of the apps the import tests created: nothing else
   * would ever sequence them, and a backlog of unsequenced batches in the shared test database
   * would keep the loader of later tests busy.
   */
  static void cleanUp(Jdbi jdbi) {
    Long app;
    while ((app = CREATED.poll()) != null) {
      long id = app;
      jdbi.useTransaction(
          h -> {
            h.createUpdate(
                    "DELETE FROM ingest_batches WHERE id IN"
                        + " (SELECT DISTINCT batch_id FROM events WHERE app_id = :app)"
                        + " OR id IN (SELECT DISTINCT batch_id FROM identifies WHERE app_id = :app)")
                .bind("app", id)
                .execute();
            h.createUpdate("DELETE FROM events WHERE app_id = :app").bind("app", id).execute();
            h.createUpdate("DELETE FROM identifies WHERE app_id = :app").bind("app", id).execute();
            h.createUpdate("DELETE FROM identity_aliases WHERE app_id = :app")
                .bind("app", id)
                .execute();
          });
    }
  }

  static long newApp(Jdbi jdbi) {
    long app = createApp(jdbi);
    CREATED.add(app);
    return app;
  }

  private static long createApp(Jdbi jdbi) {
    return TestJdbi.newApp(jdbi, "import");
  }
}
