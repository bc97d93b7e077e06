package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.testing.TestJdbi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each preset on a small export in the tool's shape, imported into the real MariaDB: the stored
 * events and identifies, the identity graph, and a second import that stores nothing new.
 */
class PresetImportIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** 2026-01-05T10:00:00Z. */
  private static final long T0 = 1_767_607_200_000L;

  @TempDir Path dir;
  private Jdbi jdbi;
  private Importer importer;

  @BeforeEach
  void setUp() {
    jdbi = TestJdbi.create();
    importer = new Importer(jdbi, Clock.systemUTC());
  }

  @AfterEach
  void removeImported() {
    ImporterIT.cleanUp(jdbi);
  }

  @Test
  void segmentArchive() throws IOException {
    long app = ImporterIT.newApp(jdbi);
    Path file =
        ImporterIT.gzip(
            write(
                "segment.json",
                """
                {"type":"page","name":"Pricing","anonymousId":"anon-1","properties":{"path":"/pricing"},"timestamp":"2026-01-05T10:00:00.000Z","messageId":"seg-1"}
                {"type":"track","event":"Signed Up","userId":"u_1","anonymousId":"anon-1","properties":{"plan":"free"},"context":{"ip":"203.0.113.9"},"timestamp":"2026-01-05T10:01:00.000Z","messageId":"seg-2"}
                {"type":"identify","userId":"u_1","anonymousId":"anon-1","traits":{"plan":"pro","email":"u1@example.test"},"timestamp":"2026-01-05T10:01:01.000Z","messageId":"seg-3"}
                {"type":"screen","name":"Home","anonymousId":"anon-2","timestamp":"2026-01-05T10:02:00.000Z","messageId":"seg-4"}
                {"type":"alias","previousId":"anon-2","userId":"u_1","timestamp":"2026-01-05T10:03:00.000Z","messageId":"seg-5"}
                {"type":"group","groupId":"acme","userId":"u_1","timestamp":"2026-01-05T10:04:00.000Z","messageId":"seg-6"}
                {"type":"track","event":"Upgraded","userId":"u_2","anonymousId":"anon-1","timestamp":"2026-01-05T10:05:00.000Z","messageId":"seg-7"}
                {"type":"track","event":"No Time","userId":"u_2","messageId":"seg-8"}
                """),
            dir.resolve("segment-logs.gz"));
    ImportOptions options = ImportOptions.of(app, file).withPreset(ImportPreset.SEGMENT);

    ImportSummary first = importer.run(options, (f, r) -> {});
    assertEquals(8, first.rows());
    assertEquals(4, first.stored());
    assertEquals(1, first.rejected());
    assertEquals(1, first.skipped());
    assertEquals(Map.of("Segment group calls are not imported", 1L), first.skipReasons());
    assertEquals(new ImportSummary.Identifies(3, 0, 1), first.identifies());
    assertTrue(first.format().contains("identifies 4 (new 3, already stored 0, refused 1)"));
    assertTrue(first.format().contains("skipped    1 (1: Segment group calls are not imported)"));

    List<Map<String, Object>> events = events(app);
    assertEvent(
        events.get(0),
        "page_viewed",
        "anon-1",
        T0,
        "{\"path\":\"/pricing\",\"name\":\"Pricing\"}",
        "seg-1");
    assertEvent(events.get(1), "Signed Up", "u_1", T0 + 60_000, "{\"plan\":\"free\"}", "seg-2");
    assertEvent(
        events.get(2), "screen_viewed", "anon-2", T0 + 120_000, "{\"name\":\"Home\"}", "seg-4");
    assertEvent(events.get(3), "Upgraded", "u_2", T0 + 300_000, null, "seg-7");

    List<Map<String, Object>> identifies = identifies(app);
    assertEquals(3, identifies.size());
    assertIdentify(identifies.get(0), "anon-1", "u_1", null, T0 + 60_000);
    assertTrue(
        ((String) identifies.get(0).get("client_message_id")).startsWith("import-identify-"));
    assertIdentify(
        identifies.get(1),
        "anon-1",
        "u_1",
        "{\"plan\":\"pro\",\"email\":\"u1@example.test\"}",
        T0 + 61_000);
    assertEquals("seg-3", identifies.get(1).get("client_message_id"));
    assertIdentify(identifies.get(2), "anon-2", "u_1", null, T0 + 180_000);
    assertEquals(Map.of("anon-1", "u_1", "anon-2", "u_1"), aliases(app));

    // The rejects file: the event without a time, and the second link of anon-1 (first wins),
    // written when its batch of identifies was stored.
    List<JsonNode> rejects = rejects(first);
    rejects.sort(Comparator.comparingLong(line -> line.get("line").asLong()));
    assertEquals(2, rejects.size());
    assertEquals(7, rejects.get(0).get("line").asLong());
    assertEquals("already_identified", rejects.get(0).at("/error/error").asText());
    assertEquals(409, rejects.get(0).at("/error/code").asInt());
    assertEquals(8, rejects.get(1).get("line").asLong());
    assertEquals("missing_field", rejects.get(1).at("/error/error").asText());

    ImportSummary again = importer.run(options, (f, r) -> {});
    assertEquals(0, again.stored());
    assertEquals(4, again.duplicates());
    assertEquals(new ImportSummary.Identifies(0, 3, 1), again.identifies());
    assertEquals(4, events(app).size());
    assertEquals(3, identifies(app).size());
    ImporterIT.assertLoaderSeesAll(jdbi, app, 4);
  }

  @Test
  void postHogEventExport() throws IOException {
    long app = ImporterIT.newApp(jdbi);
    Path file =
        write(
            "posthog-events.jsonl",
            """
            {"uuid":"0194-0001","event":"$pageview","distinct_id":"anon-a","person_id":"p-1","properties":{"$current_url":"https://shop.test/pricing","$browser":"Firefox","$set_once":{"$initial_referrer":"$direct"}},"person_properties":{},"elements_chain":"","timestamp":"2026-01-05T10:00:00.000000+00:00","created_at":"2026-01-05T10:00:01.000000+00:00"}
            {"uuid":"0194-0002","event":"$identify","distinct_id":"u_9","properties":{"$anon_distinct_id":"anon-a","$set":{"plan":"pro"}},"timestamp":"2026-01-05T10:00:30.000000+00:00"}
            {"uuid":"0194-0003","event":"signed_up","distinct_id":"u_9","properties":{"source":"ads","$set":{"email":"x@example.test"}},"timestamp":"2026-01-05 10:01:00.123000"}
            {"uuid":"0194-0004","event":"$create_alias","distinct_id":"u_9","properties":{"alias":"legacy-9"},"timestamp":"2026-01-05T10:02:00Z"}
            {"uuid":"0194-0005","event":"$groupidentify","distinct_id":"u_9","properties":{"$group_type":"company","$group_key":"acme"},"timestamp":"2026-01-05T10:03:00Z"}
            {"uuid":"0194-0006","event":"$set","distinct_id":"u_9","properties":{"$set":{"plan":null}},"timestamp":"2026-01-05T10:04:00Z"}
            """);
    ImportOptions options = ImportOptions.of(app, file).withPreset(ImportPreset.POSTHOG);

    ImportSummary first = importer.run(options, (f, r) -> {});
    assertEquals(6, first.rows());
    assertEquals(2, first.stored());
    assertEquals(0, first.rejected());
    assertEquals(1, first.skipped());
    assertEquals(new ImportSummary.Identifies(3, 0, 0), first.identifies());
    assertNull(first.rejectsFile());

    List<Map<String, Object>> events = events(app);
    assertEvent(
        events.get(0),
        "$pageview",
        "anon-a",
        T0,
        "{\"$current_url\":\"https://shop.test/pricing\",\"$browser\":\"Firefox\"}",
        "0194-0001");
    assertEvent(
        events.get(1), "signed_up", "u_9", T0 + 60_123, "{\"source\":\"ads\"}", "0194-0003");

    List<Map<String, Object>> identifies = identifies(app);
    assertEquals(3, identifies.size());
    assertIdentify(identifies.get(0), "anon-a", "u_9", "{\"plan\":\"pro\"}", T0 + 30_000);
    assertEquals("0194-0002", identifies.get(0).get("client_message_id"));
    assertIdentify(identifies.get(1), "legacy-9", "u_9", null, T0 + 120_000);
    assertIdentify(identifies.get(2), null, "u_9", "{\"plan\":null}", T0 + 240_000);
    assertEquals(Map.of("anon-a", "u_9", "legacy-9", "u_9"), aliases(app));

    ImportSummary again = importer.run(options, (f, r) -> {});
    assertEquals(2, again.duplicates());
    assertEquals(0, again.stored());
    assertEquals(new ImportSummary.Identifies(0, 3, 0), again.identifies());
    assertEquals(3, identifies(app).size());
  }

  @Test
  void mixpanelRawExport() throws IOException {
    long app = ImporterIT.newApp(jdbi);
    Path file =
        write(
            "mixpanel-export.jsonl",
            """
            {"event":"Viewed Pricing","properties":{"time":1767607200,"distinct_id":"$device:d-1","$device_id":"d-1","$insert_id":"mp-1","token":"project-token","mp_lib":"web","mp_processing_time_ms":1767607201000}}
            {"event":"Signed Up","properties":{"time":1767607260000,"distinct_id":"u_7","$device_id":"d-1","$user_id":"u_7","$insert_id":"mp-2","plan":"free"}}
            {"event":"$identify","properties":{"time":1767607261,"distinct_id":"u_7","$anon_distinct_id":"d-2","$identified_id":"u_7","$insert_id":"mp-3"}}
            {"event":"Signed Up","properties":{"time":1767607260,"distinct_id":"u_7","$device_id":"d-1","$user_id":"u_7","$insert_id":"mp-2","plan":"free"}}
            """);
    ImportOptions options = ImportOptions.of(app, file).withPreset(ImportPreset.MIXPANEL);

    ImportSummary first = importer.run(options, (f, r) -> {});
    assertEquals(4, first.rows());
    assertEquals(2, first.stored());
    assertEquals(1, first.duplicates(), "the repeated $insert_id");
    assertEquals(new ImportSummary.Identifies(2, 0, 0), first.identifies());

    List<Map<String, Object>> events = events(app);
    assertEquals(2, events.size());
    assertEvent(
        events.get(0),
        "Viewed Pricing",
        "d-1",
        T0,
        "{\"mp_lib\":\"web\",\"mp_processing_time_ms\":1767607201000}",
        "mp-1");
    assertEvent(events.get(1), "Signed Up", "u_7", T0 + 60_000, "{\"plan\":\"free\"}", "mp-2");

    List<Map<String, Object>> identifies = identifies(app);
    assertIdentify(identifies.get(0), "d-1", "u_7", null, T0 + 60_000);
    assertIdentify(identifies.get(1), "d-2", "u_7", null, T0 + 61_000);
    assertEquals("mp-3", identifies.get(1).get("client_message_id"));
    assertEquals(Map.of("d-1", "u_7", "d-2", "u_7"), aliases(app));

    ImportSummary again = importer.run(options, (f, r) -> {});
    assertEquals(3, again.duplicates());
    assertEquals(new ImportSummary.Identifies(0, 2, 0), again.identifies());
  }

  @Test
  void amplitudeExport() throws IOException {
    long app = ImporterIT.newApp(jdbi);
    Path file =
        ImporterIT.gzip(
            write(
                "123456_2026-01-05_10#0.json",
                """
                {"event_type":"Viewed Pricing","user_id":null,"device_id":"dev-1","event_time":"2026-01-05 10:00:00.000000","client_event_time":"2026-01-05 09:59:59.000000","event_properties":{"page":"pricing"},"user_properties":{},"$insert_id":"amp-1","uuid":"3f1c-1","amplitude_id":77,"platform":"Web"}
                {"event_type":"Signed Up","user_id":"u_5","device_id":"dev-1","event_time":"2026-01-05 10:01:00.250000","event_properties":{"plan":"free"},"uuid":"3f1c-2"}
                {"event_type":"$identify","user_id":"u_5","device_id":"dev-1","event_time":"2026-01-05 10:01:01.000000","user_properties":{"$set":{"plan":"pro"}},"$insert_id":"amp-3","uuid":"3f1c-3"}
                {"event_type":"Upgraded","user_id":"u_5","device_id":"dev-1","event_time":"2026-01-05 10:02:00.000000","event_properties":{},"$insert_id":"amp-4","uuid":"3f1c-4"}
                """),
            dir.resolve("123456_2026-01-05_10#0.json.gz"));
    ImportOptions options = ImportOptions.of(app, file).withPreset(ImportPreset.AMPLITUDE);

    ImportSummary first = importer.run(options, (f, r) -> {});
    assertEquals(4, first.rows());
    assertEquals(3, first.stored());
    assertEquals(new ImportSummary.Identifies(2, 0, 0), first.identifies(), "one link, once");

    List<Map<String, Object>> events = events(app);
    assertEvent(events.get(0), "Viewed Pricing", "dev-1", T0, "{\"page\":\"pricing\"}", "amp-1");
    assertEvent(events.get(1), "Signed Up", "u_5", T0 + 60_250, "{\"plan\":\"free\"}", "3f1c-2");
    assertEvent(events.get(2), "Upgraded", "u_5", T0 + 120_000, null, "amp-4");

    List<Map<String, Object>> identifies = identifies(app);
    assertIdentify(identifies.get(0), "dev-1", "u_5", null, T0 + 60_250);
    assertIdentify(identifies.get(1), "dev-1", "u_5", "{\"plan\":\"pro\"}", T0 + 61_000);
    assertEquals(Map.of("dev-1", "u_5"), aliases(app));

    ImportSummary again = importer.run(options, (f, r) -> {});
    assertEquals(3, again.duplicates());
    assertEquals(new ImportSummary.Identifies(0, 2, 0), again.identifies());
    assertEquals(2, identifies(app).size());
  }

  @Test
  void importedIdentifiesAreHistoryAndUseNoQuota() throws IOException {
    long app = ImporterIT.newApp(jdbi);
    String period = YearMonth.now(ZoneOffset.UTC).toString(); // the counter's yyyy-MM
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO usage_counters (tenant_id, period, accepted)"
                        + " SELECT t.tenant_id, :period, p.max_monthly_events"
                        + " FROM tracked_apps t JOIN tenants n ON n.id = t.tenant_id"
                        + " JOIN plans p ON p.code = n.plan_code WHERE t.id = :app")
                .bind("period", period)
                .bind("app", app)
                .execute());
    Path file =
        write(
            "segment-quota.json",
            """
            {"type":"track","event":"Viewed","anonymousId":"anon-q","timestamp":"2026-01-05T10:00:00Z","messageId":"q-1"}
            {"type":"identify","userId":"u_q","anonymousId":"anon-q","traits":{"plan":"pro"},"timestamp":"2026-01-05T10:01:00Z","messageId":"q-2"}
            """);
    long usedBefore = used(app, period);
    ImportSummary summary =
        importer.run(ImportOptions.of(app, file).withPreset(ImportPreset.SEGMENT), (f, r) -> {});
    assertEquals(1, summary.identifies().stored(), summary::toString);
    assertEquals(1, identifies(app).size());
    assertEquals(usedBefore, used(app, period));
  }

  private long used(long app, String period) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT u.accepted FROM usage_counters u JOIN tracked_apps t"
                        + " ON t.tenant_id = u.tenant_id WHERE t.id = :app AND u.period = :period")
                .bind("app", app)
                .bind("period", period)
                .mapTo(Long.class)
                .one());
  }

  // ---- helpers

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static void assertEvent(
      Map<String, Object> row, String name, String user, long timeMs, String metadata, String id)
      throws IOException {
    assertEquals(name, row.get("event_name"), row::toString);
    assertEquals(user, row.get("user_identifier"), row::toString);
    assertEquals(timeMs, row.get("event_time_ms"), row::toString);
    assertEquals(id, row.get("client_event_id"), row::toString);
    if (metadata == null) {
      assertNull(row.get("metadata"), row::toString);
    } else {
      assertEquals(JSON.readTree(metadata), JSON.readTree((String) row.get("metadata")));
    }
  }

  private static void assertIdentify(
      Map<String, Object> row, String anonymous, String user, String traits, long timeMs)
      throws IOException {
    assertEquals(anonymous, row.get("anonymous_id"), row::toString);
    assertEquals(user, row.get("user_identifier"), row::toString);
    assertEquals(timeMs, row.get("identified_at_ms"), row::toString);
    if (traits == null) {
      assertNull(row.get("traits"), row::toString);
    } else {
      assertEquals(JSON.readTree(traits), JSON.readTree((String) row.get("traits")));
    }
  }

  private static List<JsonNode> rejects(ImportSummary summary) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(summary.rejectsFile())) {
      lines.add(JSON.readTree(line));
    }
    return lines;
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

  private List<Map<String, Object>> identifies(long app) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT anonymous_id, user_identifier, traits, identified_at_ms,"
                        + " client_message_id FROM identifies WHERE app_id = :app ORDER BY id")
                .bind("app", app)
                .mapToMap()
                .list());
  }

  private Map<String, String> aliases(long app) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT alias, person FROM identity_aliases WHERE app_id = :app")
                .bind("app", app)
                .setMapKeyColumn("alias")
                .setMapValueColumn("person")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() {}));
  }
}
