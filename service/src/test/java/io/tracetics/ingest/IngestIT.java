package io.tracetics.ingest;

import static io.tracetics.ingest.IngestFixtures.countEvents;
import static io.tracetics.ingest.IngestFixtures.event;
import static io.tracetics.ingest.IngestFixtures.execute;
import static io.tracetics.ingest.IngestFixtures.gzip;
import static io.tracetics.ingest.IngestFixtures.keyed;
import static io.tracetics.ingest.IngestFixtures.newSender;
import static io.tracetics.ingest.IngestFixtures.rows;
import static io.tracetics.ingest.IngestFixtures.usage;
import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.ingest.IngestFixtures.Sender;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;

@ExtendWith(DropwizardExtensionsSupport.class)
class IngestIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();
  static final ObjectMapper JSON = new ObjectMapper();

  /** The original ingest contract's example body, byte for byte (the README re-indents it). */
  static final String SEED_BODY =
      "{\"event_name\": \"signup_completed\", \"user_identifier\": \"user_123\",\n"
          + " \"metadata\": {\"plan\": \"pro\", \"source\": \"landing_page\"}}";

  Http http;

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
  }

  Http.Response single(Sender sender, String body) {
    return keyed(http.post("/api/v1/events"), sender).body(body).send();
  }

  Http.Response batch(Sender sender, Object events) {
    return keyed(http.post("/api/v1/events/batch"), sender).json(Map.of("events", events)).send();
  }

  @Test
  void seedRequestIsStoredDurablyExactlyAsSent() throws Exception {
    Sender sender = newSender(http);
    long before = System.currentTimeMillis();
    Http.Response response =
        http.post("/api/v1/events")
            .header("X-OL-Tenant-Key", sender.tenantKey())
            .header("X-OL-App-Key", sender.appKey())
            .header("Content-Type", "application/json")
            .bytes(SEED_BODY.getBytes(StandardCharsets.UTF_8), "application/json")
            .send();
    long after = System.currentTimeMillis();
    assertEquals(200, response.status(), response::toString);
    assertEquals("{\"accepted\":1,\"duplicate\":false}", response.text());

    List<Map<String, Object>> stored =
        rows(
            "SELECT e.*, b.event_count, b.seq FROM events e JOIN ingest_batches b ON b.id ="
                + " e.batch_id WHERE e.app_id = ?",
            sender.appId());
    assertEquals(1, stored.size());
    Map<String, Object> row = stored.get(0);
    assertEquals("signup_completed", row.get("event_name"));
    assertEquals("user_123", row.get("user_identifier"));
    assertEquals(
        JSON.readTree("{\"plan\": \"pro\", \"source\": \"landing_page\"}"),
        JSON.readTree((String) row.get("metadata")));
    long received = ((Number) row.get("received_at_ms")).longValue();
    assertTrue(received >= before && received <= after, "receipt time is the server's");
    assertEquals(received, ((Number) row.get("event_time_ms")).longValue());
    assertNull(row.get("sent_at_ms"));
    assertNull(row.get("client_event_id"));
    // seq is not checked: the app's own loader may already have given the batch its epoch.
    assertTrue(((Number) row.get("event_count")).intValue() >= 1);
    assertArrayEquals(new long[] {1, 0}, usage(sender.tenantId()));
  }

  @Test
  void commitPostsANoticeOnTheRedisStream() {
    Sender sender = newSender(http);
    assertEquals(200, single(sender, SEED_BODY).status());
    long batchId =
        IngestFixtures.queryLong("SELECT batch_id FROM events WHERE app_id = ?", sender.appId());
    try (RedisClient redis = RedisClient.create(TestServers.get().redisUrl())) {
      StreamEntry found = null;
      for (int attempt = 0; attempt < 50 && found == null; attempt++) {
        List<StreamEntry> recent = redis.xrevrange("tracetics:ingest-notices", "+", "-", 200);
        for (StreamEntry entry : recent) {
          if (Long.toString(batchId).equals(entry.getFields().get("batch"))) {
            found = entry;
          }
        }
        if (found == null) {
          sleep(100);
        }
      }
      assertNotNull(found, "a notice for batch " + batchId);
      assertTrue(
          List.of(found.getFields().get("apps").split(","))
              .contains(Long.toString(sender.appId())));
      assertTrue(Integer.parseInt(found.getFields().get("events")) >= 1);
    }
  }

  @Test
  void batchStoresValidItemsAndReportsInvalidOnesByIndex() {
    Sender sender = newSender(http);
    List<Object> events = new ArrayList<>();
    events.add(event("a", "u1"));
    events.add(Map.of("user_identifier", "u1"));
    events.add(Map.of("event_name", "b", "user_identifier", 42));
    events.add(event("c", "u2"));
    events.add("not an object");
    events.add(Map.of("event_name", "d", "user_identifier", "u3", "metadata", List.of(1, 2)));
    events.add(event("e", "u3"));
    Http.Response response = batch(sender, events);
    assertEquals(200, response.status(), response::toString);
    JsonNode body = response.json();
    assertEquals(3, body.get("accepted").asInt());
    assertEquals(0, body.get("duplicates").asInt());
    JsonNode rejected = body.get("rejected");
    assertEquals(4, rejected.size());
    String[][] expected = {
      {"1", "missing_field"},
      {"2", "invalid_type"},
      {"4", "invalid_event"},
      {"5", "invalid_metadata"}
    };
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Integer.parseInt(expected[i][0]), rejected.get(i).get("index").asInt());
      JsonNode error = rejected.get(i).get("error");
      assertEquals(expected[i][1], error.get("error").asText(), rejected::toString);
      assertEquals(400, error.get("code").asInt());
      assertFalse(error.get("message").asText().isBlank());
    }
    assertEquals(3, countEvents(sender.appId()));
    assertEquals(
        1,
        IngestFixtures.queryLong(
            "SELECT COUNT(DISTINCT batch_id) FROM events WHERE app_id = ?", sender.appId()),
        "one request's events share one group commit");
  }

  @Test
  void allInvalidBatchIsAnsweredWithNothingAccepted() {
    Sender sender = newSender(http);
    Http.Response response = batch(sender, List.of(Map.of("event_name", ""), Map.of()));
    assertEquals(200, response.status(), response::toString);
    assertEquals(0, response.json().get("accepted").asInt());
    assertEquals(2, response.json().get("rejected").size());
    assertEquals(0, countEvents(sender.appId()));
  }

  @Test
  void retriedEventIdIsStoredOnceAndStillAnswered200() {
    Sender sender = newSender(http);
    String body = "{\"event_name\":\"paid\",\"user_identifier\":\"u1\",\"event_id\":\"evt-1\"}";
    Http.Response first = single(sender, body);
    Http.Response second = single(sender, body);
    assertEquals(200, first.status(), first::toString);
    assertEquals(200, second.status(), second::toString);
    assertFalse(first.json().get("duplicate").asBoolean());
    assertTrue(second.json().get("duplicate").asBoolean());

    Http.Response inBatch =
        batch(
            sender,
            List.of(
                event("paid", "u1", "evt-1"),
                event("paid", "u1", "evt-2"),
                event("paid", "u1", "evt-2")));
    assertEquals(200, inBatch.status(), inBatch::toString);
    assertEquals(3, inBatch.json().get("accepted").asInt());
    assertEquals(2, inBatch.json().get("duplicates").asInt());
    assertEquals(2, countEvents(sender.appId()));
    assertArrayEquals(new long[] {2, 0}, usage(sender.tenantId()), "duplicates are not counted");

    Sender other = newSender(http);
    assertEquals(200, single(other, body).status());
    assertEquals(1, countEvents(other.appId()), "ids are per app");
  }

  @Test
  void concurrentCopiesOfOneEventAreStoredOnce() throws Exception {
    Sender sender = newSender(http);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Http.Response>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        String id = "same-" + (i % 4);
        calls.add(
            () ->
                single(
                    sender,
                    "{\"event_name\":\"x\",\"user_identifier\":\"u\",\"event_id\":\""
                        + id
                        + "\"}"));
      }
      int duplicates = 0;
      for (Future<Http.Response> response : pool.invokeAll(calls)) {
        assertEquals(200, response.get().status(), response.get()::toString);
        duplicates += response.get().json().get("duplicate").asBoolean() ? 1 : 0;
      }
      assertEquals(28, duplicates);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(4, countEvents(sender.appId()));
    assertArrayEquals(new long[] {4, 0}, usage(sender.tenantId()));
  }

  @Test
  void optionalFieldsAndClockSkewCorrection() {
    Sender sender = newSender(http);
    long now = System.currentTimeMillis();
    // The client's clock is 2 hours fast: its timestamp and sent_at are both 2 h ahead.
    long skew = 2 * 3600_000L;
    String skewed =
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":\"skewed\",\"timestamp\":"
            + (now + skew - 60_000)
            + ",\"sent_at\":\""
            + Instant.ofEpochMilli(now + skew)
            + "\"}";
    assertEquals(200, single(sender, skewed).status());
    String iso =
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":\"iso\","
            + "\"timestamp\":\"2026-01-05T10:00:00+02:00\",\"unknown_field\":true}";
    assertEquals(200, single(sender, iso).status());

    Map<String, Long> times = new HashMap<>();
    for (Map<String, Object> row :
        rows(
            "SELECT client_event_id, event_time_ms, received_at_ms, sent_at_ms FROM events WHERE"
                + " app_id = ?",
            sender.appId())) {
      long eventTime = ((Number) row.get("event_time_ms")).longValue();
      long received = ((Number) row.get("received_at_ms")).longValue();
      if (row.get("client_event_id").equals("skewed")) {
        assertEquals(now + skew, ((Number) row.get("sent_at_ms")).longValue());
        long expected = (now + skew - 60_000) + (received - (now + skew));
        assertEquals(expected, eventTime);
        assertTrue(Math.abs(eventTime - (received - 60_000)) < 1_000);
      }
      times.put((String) row.get("client_event_id"), eventTime);
    }
    assertEquals(Instant.parse("2026-01-05T08:00:00Z").toEpochMilli(), times.get("iso"));
  }

  @Test
  void gzipBodiesAreAccepted() {
    Sender sender = newSender(http);
    Http.Response one =
        keyed(http.post("/api/v1/events"), sender)
            .header("Content-Encoding", "gzip")
            .bytes(gzip(SEED_BODY.getBytes(StandardCharsets.UTF_8)), "application/json")
            .send();
    assertEquals(200, one.status(), one::toString);
    String batchBody =
        Http.json(Map.of("events", List.of(event("a", "u1"), event("b", "u2"), event("c", "u3"))));
    Http.Response many =
        keyed(http.post("/api/v1/events/batch"), sender)
            .header("Content-Encoding", "gzip")
            .bytes(gzip(batchBody.getBytes(StandardCharsets.UTF_8)), "application/json")
            .send();
    assertEquals(200, many.status(), many::toString);
    assertEquals(3, many.json().get("accepted").asInt());
    assertEquals(4, countEvents(sender.appId()));
  }

  @Test
  void gzipBombAndOversizeBodiesAre413AndStoreNothing() {
    Sender sender = newSender(http);
    // 8 MB of JSON that compresses to a few KB.
    StringBuilder padding = new StringBuilder();
    padding.append(
        "{\"events\":[{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":{\"p\":\"");
    padding.append("A".repeat(8 * 1024 * 1024));
    padding.append("\"}}]}");
    byte[] bomb = gzip(padding.toString().getBytes(StandardCharsets.UTF_8));
    assertTrue(bomb.length < 100_000);
    Http.Response response =
        keyed(http.post("/api/v1/events/batch"), sender)
            .header("Content-Encoding", "gzip")
            .bytes(bomb, "application/json")
            .send();
    assertError(response, 413, "payload_too_large");

    List<Object> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(event("e", "u" + i));
    }
    assertError(batch(sender, tooMany), 413, "payload_too_large");

    // Just over 1 MB uncompressed: 999 valid events with ~1 KB of metadata each.
    List<Object> big = new ArrayList<>();
    for (int i = 0; i < 999; i++) {
      big.add(
          Map.of(
              "event_name",
              "e",
              "user_identifier",
              "u",
              "metadata",
              Map.of("p", "B".repeat(1100))));
    }
    assertError(batch(sender, big), 413, "payload_too_large");
    assertEquals(0, countEvents(sender.appId()));

    List<Object> exactlyMax = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      exactlyMax.add(event("e", "u" + i));
    }
    Http.Response ok = batch(sender, exactlyMax);
    assertEquals(200, ok.status(), ok::toString);
    assertEquals(1000, ok.json().get("accepted").asInt());
    assertEquals(1000, countEvents(sender.appId()));
  }

  @Test
  void corsPreflightAndHeaders() {
    Sender sender = newSender(http);
    for (String path : List.of("/api/v1/events", "/api/v1/events/batch")) {
      Http.Response preflight =
          http.request("OPTIONS", path)
              .header("Origin", "https://shop.example")
              .header("Access-Control-Request-Method", "POST")
              .header(
                  "Access-Control-Request-Headers", "x-ol-tenant-key, x-ol-app-key, content-type")
              .send();
      assertTrue(preflight.status() == 204 || preflight.status() == 200, preflight::toString);
      assertEquals("*", preflight.header("Access-Control-Allow-Origin"));
      assertTrue(preflight.header("Access-Control-Allow-Methods").contains("POST"));
      String allowed = preflight.header("Access-Control-Allow-Headers").toLowerCase();
      for (String header :
          List.of("x-ol-tenant-key", "x-ol-app-key", "content-type", "content-encoding")) {
        assertTrue(allowed.contains(header), allowed);
      }
      assertEquals("86400", preflight.header("Access-Control-Max-Age"));
    }
    Http.Response ok =
        keyed(http.post("/api/v1/events"), sender)
            .header("Origin", "https://shop.example")
            .body(SEED_BODY)
            .send();
    assertEquals(200, ok.status());
    assertEquals("*", ok.header("Access-Control-Allow-Origin"));
    Http.Response denied =
        http.post("/api/v1/events").header("Origin", "https://shop.example").body(SEED_BODY).send();
    assertError(denied, 401, "invalid_keys");
    assertEquals("*", denied.header("Access-Control-Allow-Origin"), "errors are readable too");
    Http.Response other = http.get("/api/v1/apps").header("Origin", "https://shop.example").send();
    assertNull(other.header("Access-Control-Allow-Origin"), "CORS only on the ingest endpoints");
  }

  @Test
  void wrongMismatchedMissingOrRevokedKeysAreTheSame401() {
    Sender a = newSender(http);
    Sender b = newSender(http);
    List<Http.Response> denied = new ArrayList<>();
    denied.add(
        http.post("/api/v1/events")
            .header("X-OL-Tenant-Key", a.tenantKey())
            .header("X-OL-App-Key", "ak_wrong")
            .body(SEED_BODY)
            .send());
    denied.add(
        http.post("/api/v1/events")
            .header("X-OL-Tenant-Key", "tk_wrong")
            .header("X-OL-App-Key", a.appKey())
            .body(SEED_BODY)
            .send());
    denied.add(
        http.post("/api/v1/events")
            .header("X-OL-Tenant-Key", b.tenantKey())
            .header("X-OL-App-Key", a.appKey())
            .body(SEED_BODY)
            .send());
    denied.add(
        http.post("/api/v1/events").header("X-OL-App-Key", a.appKey()).body(SEED_BODY).send());
    denied.add(
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", a.tenantKey())
            .header("X-OL-App-Key", a.tenantKey())
            .json(Map.of("events", List.of(event("a", "u"))))
            .send());
    denied.add(
        http.post("/api/v1/events")
            .header("X-OL-Tenant-Key", a.token())
            .header("X-OL-App-Key", a.appKey())
            .body(SEED_BODY)
            .send());
    Http.Response deleted = http.delete("/api/v1/apps/" + b.appId()).bearer(b.token()).send();
    assertEquals(204, deleted.status(), deleted::toString);
    denied.add(single(b, SEED_BODY));
    String message = null;
    for (Http.Response response : denied) {
      JsonNode body = assertError(response, 401, "invalid_keys");
      if (message == null) {
        message = body.get("message").asText();
      }
      assertEquals(message, body.get("message").asText(), "never reveals which key was wrong");
    }
    assertEquals(0, countEvents(a.appId()));
    assertEquals(0, countEvents(b.appId()));
    // The management token cannot be used, and the keys cannot read anything.
    assertEquals(401, http.get("/api/v1/apps").bearer(a.tenantKey()).send().status());
  }

  /** Each malformed kind: a 400 with its own key on the single endpoint, per item in batches. */
  @Test
  void everyMalformedInputKindIsRefusedAndStoresNothing() {
    Sender sender = newSender(http);
    long future = System.currentTimeMillis() + 2 * 3600_000L;
    String deep = "{\"a\":".repeat(11) + "1" + "}".repeat(11);
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("{\"user_identifier\":\"u\"}", "missing_field");
    cases.put("{\"event_name\":\"a\"}", "missing_field");
    cases.put("{\"event_name\":null,\"user_identifier\":\"u\"}", "missing_field");
    cases.put("{\"event_name\":1,\"user_identifier\":\"u\"}", "invalid_type");
    cases.put("{\"event_name\":\"a\",\"user_identifier\":123}", "invalid_type");
    cases.put("{\"event_name\":\"a\",\"user_identifier\":[\"u\"]}", "invalid_type");
    cases.put("{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":7}", "invalid_type");
    cases.put("{\"event_name\":\"\",\"user_identifier\":\"u\"}", "invalid_length");
    cases.put("{\"event_name\":\"   \",\"user_identifier\":\"u\"}", "invalid_length");
    cases.put(
        "{\"event_name\":\"" + "n".repeat(201) + "\",\"user_identifier\":\"u\"}", "invalid_length");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"" + "u".repeat(256) + "\"}", "invalid_length");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":\"" + "i".repeat(129) + "\"}",
        "invalid_length");
    cases.put("{\"event_name\":\"a\\u0000b\",\"user_identifier\":\"u\"}", "invalid_character");
    cases.put("{\"event_name\":\"a\",\"user_identifier\":\"u\\ud800\"}", "invalid_character");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":{\"k\":\"v\\u0000\"}}",
        "invalid_character");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":[1]}", "invalid_metadata");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":\"x\"}", "invalid_metadata");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":{\"k\":\""
            + "m".repeat(16 * 1024)
            + "\"}}",
        "metadata_too_large");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":" + deep + "}",
        "metadata_too_deep");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":\"yesterday\"}",
        "invalid_timestamp");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":\"2026-01-05T10:00:00\"}",
        "invalid_timestamp");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":1.5}", "invalid_timestamp");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":-1}", "invalid_timestamp");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"sent_at\":true}", "invalid_timestamp");
    cases.put(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":" + future + "}",
        "timestamp_in_future");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Http.Response response = single(sender, c.getKey());
      JsonNode body = assertError(response, 400, c.getValue());
      assertFalse(body.path("field").asText().isEmpty(), () -> "names the field: " + response);
    }
    // Sent as raw text: re-serialising would repair the unpaired surrogate.
    Http.Response response =
        keyed(http.post("/api/v1/events/batch"), sender)
            .body("{\"events\": [" + String.join(",", cases.keySet()) + "]}")
            .send();
    assertEquals(200, response.status(), response::toString);
    assertEquals(0, response.json().get("accepted").asInt());
    int i = 0;
    for (String key : cases.values()) {
      JsonNode item = response.json().get("rejected").get(i);
      assertEquals(i, item.get("index").asInt());
      assertEquals(key, item.get("error").get("error").asText(), item::toString);
      i++;
    }

    // Whole-request problems.
    assertError(single(sender, "{\"event_name\": \"a\", "), 400, "malformed_json");
    assertError(single(sender, "[]"), 400, "invalid_event");
    assertError(single(sender, ""), 400, "invalid_body");
    assertError(
        single(sender, "{\"event_name\":\"a\",\"event_name\":\"b\",\"user_identifier\":\"u\"}"),
        400,
        "malformed_json");
    byte[] badUtf8 =
        "{\"event_name\":\"a\",\"user_identifier\":\"u?\"}".getBytes(StandardCharsets.US_ASCII);
    badUtf8[badUtf8.length - 3] = (byte) 0xff;
    assertError(
        keyed(http.post("/api/v1/events"), sender).bytes(badUtf8, "application/json").send(),
        400,
        "invalid_utf8");
    assertError(
        keyed(http.post("/api/v1/events/batch"), sender).body("{\"events\": {}}").send(),
        400,
        "invalid_body");
    assertError(
        keyed(http.post("/api/v1/events/batch"), sender).body("{\"events\": []}").send(),
        400,
        "invalid_body");
    assertError(
        keyed(http.post("/api/v1/events"), sender)
            .header("Content-Encoding", "br")
            .body(SEED_BODY)
            .send(),
        415,
        "unsupported_content_encoding");
    assertEquals(0, countEvents(sender.appId()));
    assertArrayEquals(new long[] {0, 0}, usage(sender.tenantId()));
  }

  @Test
  void monthlyQuotaIsCountedExactlyAndEnforcedBeforeTheWrite() {
    Sender sender = newSender(http);
    long limit = 100_000; // the free plan
    assertEquals(
        200,
        single(sender, "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":\"kept\"}")
            .status());
    execute(
        "UPDATE usage_counters SET accepted = ? WHERE tenant_id = ? AND period = ?",
        limit - 2,
        sender.tenantId(),
        IngestFixtures.currentPeriod());

    Http.Response partly =
        batch(sender, List.of(event("a", "u", "q1"), event("a", "u", "q2"), event("a", "u", "q3")));
    assertEquals(200, partly.status(), partly::toString);
    assertEquals(2, partly.json().get("accepted").asInt());
    JsonNode rejected = partly.json().get("rejected");
    assertEquals(1, rejected.size());
    assertEquals(2, rejected.get(0).get("index").asInt());
    assertEquals("monthly_quota_exceeded", rejected.get(0).get("error").get("error").asText());
    assertEquals(429, rejected.get(0).get("error").get("code").asInt());

    Http.Response over = single(sender, SEED_BODY);
    JsonNode body = assertError(over, 429, "monthly_quota_exceeded");
    assertEquals(limit, body.get("limit").asLong());
    assertEquals("free", body.get("plan").asText());
    assertEquals(limit, body.get("used").asLong());
    long retryAfter = Long.parseLong(over.header("Retry-After"));
    assertTrue(retryAfter > 0 && retryAfter <= 31L * 24 * 3600, "seconds to next month");

    Http.Response batchOver = batch(sender, List.of(event("a", "u"), event("b", "u")));
    assertError(batchOver, 429, "monthly_quota_exceeded");
    assertNotNull(batchOver.header("Retry-After"));

    Http.Response retried =
        single(sender, "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":\"kept\"}");
    assertEquals(200, retried.status(), "a retry of a stored event is still answered 200");
    assertTrue(retried.json().get("duplicate").asBoolean());

    assertEquals(3, countEvents(sender.appId()));
    assertArrayEquals(new long[] {limit, 4}, usage(sender.tenantId()));
  }

  @Test
  void ingestMetricsAreRegistered() {
    Sender sender = newSender(http);
    assertEquals(200, single(sender, SEED_BODY).status());
    Http.Response metrics = new Http(APP.getAdminPort()).get("/metrics").send();
    assertEquals(200, metrics.status());
    JsonNode json = metrics.json();
    assertTrue(
        json.get("counters").get("io.tracetics.ingest.events.accepted").get("count").asLong() >= 1);
    assertTrue(json.get("gauges").has("io.tracetics.ingest.queue.events"));
    assertTrue(json.get("histograms").has("io.tracetics.ingest.groupCommit.events"));
    assertTrue(json.get("timers").has("io.tracetics.ingest.groupCommit.commit"));
    assertTrue(json.get("meters").has("io.tracetics.ingest.notices.failures"));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
