package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
  static final long RECEIVED = Instant.parse("2026-03-10T12:00:00Z").toEpochMilli();
  final EventParser parser = new EventParser();

  EventParser.Result parse(String json) {
    return parser.parseEvent(parser.readBody(json.getBytes(StandardCharsets.UTF_8)), RECEIVED);
  }

  IngestEvent valid(String json) {
    return assertInstanceOf(EventParser.Valid.class, parse(json)).event();
  }

  ItemError invalid(String json) {
    return assertInstanceOf(EventParser.Invalid.class, parse(json)).error();
  }

  @Test
  void seedEventWithDefaults() {
    IngestEvent event =
        valid(
            "{\"event_name\": \"signup_completed\", \"user_identifier\": \"user_123\","
                + " \"metadata\": {\"plan\": \"pro\", \"source\": \"landing_page\"}}");
    assertEquals("signup_completed", event.eventName());
    assertEquals("user_123", event.userIdentifier());
    assertEquals("{\"plan\":\"pro\",\"source\":\"landing_page\"}", event.metadataJson());
    assertEquals(RECEIVED, event.eventTimeMs());
    assertEquals(RECEIVED, event.receivedAtMs());
    assertNull(event.sentAtMs());
    assertNull(event.clientEventId());
  }

  @Test
  void metadataKeepsNumbersExactly() {
    IngestEvent event =
        valid(
            "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":{\"price\":19.990,"
                + "\"big\":12345678901234567890,\"nested\":{\"list\":[1,\"x\",null,true]}}}");
    assertEquals(
        "{\"price\":19.99,\"big\":12345678901234567890,\"nested\":{\"list\":[1,\"x\",null,true]}}",
        event.metadataJson());
  }

  @Test
  void timestampsInBothFormatsAndSkewCorrection() {
    assertEquals(
        Instant.parse("2026-03-10T09:00:00Z").toEpochMilli(),
        valid(
                "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":\"2026-03-10T10:00:00+01:00\"}")
            .eventTimeMs());
    assertEquals(
        1_700_000_000_000L,
        valid("{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":1700000000000}")
            .eventTimeMs());
    // Client clock 10 minutes slow: sent_at says 11:50, the server received it at 12:00.
    IngestEvent skewed =
        valid(
            "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":\"2026-03-10T11:45:00Z\","
                + "\"sent_at\":\"2026-03-10T11:50:00Z\"}");
    assertEquals(Instant.parse("2026-03-10T11:55:00Z").toEpochMilli(), skewed.eventTimeMs());
    assertEquals(Instant.parse("2026-03-10T11:50:00Z").toEpochMilli(), skewed.sentAtMs());
    // sent_at alone: the event happened when it was received.
    assertEquals(
        RECEIVED,
        valid("{\"event_name\":\"a\",\"user_identifier\":\"u\",\"sent_at\":1}").eventTimeMs());
  }

  @Test
  void futureRuleAppliesAfterSkewCorrection() {
    long limit = RECEIVED + EventParser.MAX_FUTURE_MS;
    valid("{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":" + limit + "}");
    assertEquals(
        "timestamp_in_future",
        invalid(
                "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":"
                    + (limit + 1)
                    + "}")
            .error());
    // Two hours ahead by the client's clock, but the client's clock is two hours fast: fine.
    long twoHours = 2 * 3600_000L;
    valid(
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":"
            + (RECEIVED + twoHours)
            + ",\"sent_at\":"
            + (RECEIVED + twoHours)
            + "}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"user_identifier\":\"u\"}|missing_field|event_name",
        "{\"event_name\":\"a\",\"user_identifier\":null}|missing_field|user_identifier",
        "{\"event_name\":5,\"user_identifier\":\"u\"}|invalid_type|event_name",
        "{\"event_name\":\"a\",\"user_identifier\":1.5}|invalid_type|user_identifier",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":{}}|invalid_type|event_id",
        "{\"event_name\":\"\",\"user_identifier\":\"u\"}|invalid_length|event_name",
        "{\"event_name\":\"a\",\"user_identifier\":\" \"}|invalid_length|user_identifier",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"event_id\":\"\"}|invalid_length|event_id",
        "{\"event_name\":\"a\\u0000\",\"user_identifier\":\"u\"}|invalid_character|event_name",
        "{\"event_name\":\"a\",\"user_identifier\":\"\\udc00\"}|invalid_character|user_identifier",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":{\"k\\u0000\":1}}|invalid_character|metadata",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":[]}|invalid_metadata|metadata",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":7}|invalid_metadata|metadata",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":\"2026-03-10\"}|invalid_timestamp|timestamp",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":\"1700000000000\"}|invalid_timestamp|timestamp",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":1e12}|invalid_timestamp|timestamp",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"timestamp\":253402300800000}|invalid_timestamp|timestamp",
        "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"sent_at\":[]}|invalid_timestamp|sent_at",
        "[1]|invalid_event|",
      })
  void refusesEachProblemWithItsKeyAndField(String json, String error, String field) {
    ItemError refused = invalid(json);
    assertEquals(error, refused.error());
    assertEquals(field, refused.field());
    assertEquals(400, refused.code());
  }

  @Test
  void lengthsCountCharactersNotBytes() {
    String name = "é".repeat(EventParser.MAX_EVENT_NAME_CHARS);
    valid("{\"event_name\":\"" + name + "\",\"user_identifier\":\"u\"}");
    String emoji = "😀".repeat(EventParser.MAX_USER_IDENTIFIER_CHARS);
    valid("{\"event_name\":\"a\",\"user_identifier\":\"" + emoji + "\"}");
    assertEquals(
        "invalid_length",
        invalid("{\"event_name\":\"a\",\"user_identifier\":\"" + emoji + "😀\"}").error());
  }

  @Test
  void metadataSizeAndDepthLimits() {
    // {"k":"..."} with exactly 16 KB serialized.
    String fits = "x".repeat(EventParser.MAX_METADATA_BYTES - 8);
    valid("{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":{\"k\":\"" + fits + "\"}}");
    assertEquals(
        "metadata_too_large",
        invalid(
                "{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":{\"k\":\""
                    + fits
                    + "x\"}}")
            .error());
    String depth10 = "{\"a\":".repeat(9) + "{}" + "}".repeat(9);
    valid("{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":" + depth10 + "}");
    String depth11 = "{\"a\":".repeat(10) + "[]" + "}".repeat(10);
    assertEquals(
        "metadata_too_deep",
        invalid("{\"event_name\":\"a\",\"user_identifier\":\"u\",\"metadata\":" + depth11 + "}")
            .error());
  }

  @Test
  void wholeBodyProblems() {
    assertEquals("malformed_json", refused("{\"event_name\":").error());
    assertEquals("malformed_json", refused("{} {}").error());
    assertEquals("malformed_json", refused("{\"a\":1,\"a\":2}").error());
    assertEquals("invalid_body", refused("  ").error());
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
    assertEquals(
        "invalid_utf8", assertThrows(ApiException.class, () -> parser.readBody(bad)).error());
    JsonNode notObject = parser.readBody("[]".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "invalid_body",
        assertThrows(ApiException.class, () -> parser.batchEvents(notObject)).error());
    StringBuilder many = new StringBuilder("{\"events\":[");
    for (int i = 0; i <= EventParser.MAX_BATCH_EVENTS; i++) {
      many.append(i == 0 ? "" : ",").append("{}");
    }
    JsonNode tooMany =
        parser.readBody(many.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    ApiException e = assertThrows(ApiException.class, () -> parser.batchEvents(tooMany));
    assertEquals(413, e.status());
    assertEquals("payload_too_large", e.error());
  }

  /** The body is checked as strict UTF-8 and parsed from its bytes (no decoded copy). */
  @Test
  void bodyBytes() {
    // Non-ASCII text, longer than the decoder's chunk, comes through exactly.
    String long2 = "\u00e9\ud83d\ude00".repeat(2_000);
    IngestEvent event =
        valid(
            "{\"event_name\":\"caf\u00e9\",\"user_identifier\":\"u\",\"metadata\":{\"t\":\""
                + long2
                + "\"}}");
    assertEquals("caf\u00e9", event.eventName());
    assertEquals("{\"t\":\"" + long2 + "\"}", event.metadataJson());
    // Not strict UTF-8: a lone continuation byte, an overlong '/', an encoded surrogate, a code
    // point past U+10FFFF, a truncated sequence at the end; also after valid non-ASCII text.
    for (byte[] bad :
        new byte[][] {
          {(byte) 0x80},
          {(byte) 0xC0, (byte) 0xAF},
          {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
          {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
          {(byte) 0xE2, (byte) 0x82}
        }) {
      for (String before : new String[] {"", "\u00e9"}) {
        byte[] head = ("{\"a\":\"" + before).getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + bad.length + 2];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bad, 0, body, head.length, bad.length);
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';
        assertEquals(
            "invalid_utf8",
            assertThrows(ApiException.class, () -> parser.readBody(body)).error(),
            () -> java.util.HexFormat.of().formatHex(body));
      }
    }
    // A raw NUL is never JSON (an escaped one is, and is refused per event): also after
    // non-ASCII text, and where zero bytes could look like UTF-16 or UTF-32 to a detector.
    for (String body :
        new String[] {
          "{\"a\":\"x\u0000\"}", "{\"a\":\"\u00e9\u0000\"}", "\u0000{}", "\u0000\u0000\u0000{"
        }) {
      ApiException e =
          assertThrows(
              ApiException.class, () -> parser.readBody(body.getBytes(StandardCharsets.UTF_8)));
      assertEquals("malformed_json", e.error(), body);
    }
    assertEquals(
        "invalid_character",
        invalid("{\"event_name\":\"a\\u0000\",\"user_identifier\":\"u\"}").error());
    // Whitespace only is an empty body; a UTF-8 byte order mark before the JSON is ignored.
    assertEquals("invalid_body", refused(" \t\r\n").error());
    assertEquals("a", valid("\ufeff{\"event_name\":\"a\",\"user_identifier\":\"u\"}").eventName());
  }

  ApiException refused(String body) {
    return assertThrows(
        ApiException.class, () -> parser.readBody(body.getBytes(StandardCharsets.UTF_8)));
  }
}
