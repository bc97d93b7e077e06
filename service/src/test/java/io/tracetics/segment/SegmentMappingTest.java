package io.tracetics.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.identity.IdentifyParser;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.IngestEvent;
import io.tracetics.ingest.ItemError;
import io.tracetics.segment.SegmentMapping.AsEvent;
import io.tracetics.segment.SegmentMapping.AsIdentify;
import io.tracetics.segment.SegmentMapping.Mapped;
import io.tracetics.segment.SegmentMapping.Nothing;
import io.tracetics.segment.SegmentMapping.Refused;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SegmentMappingTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long RECEIVED = Instant.parse("2026-03-10T12:00:00Z").toEpochMilli();
  final EventParser parser = new EventParser();

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Mapped map(String message, SegmentType type) {
    return SegmentMapping.map(json(message), type, null);
  }

  static AsEvent event(String message, SegmentType type) {
    return assertInstanceOf(AsEvent.class, map(message, type));
  }

  /** The mapped event as the native parser stores it. */
  IngestEvent stored(AsEvent event) {
    return assertInstanceOf(EventParser.Valid.class, parser.parseEvent(event.event(), RECEIVED))
        .event();
  }

  /** The native parser's refusal, in Segment's field names. */
  ItemError refusal(AsEvent event) {
    ItemError error =
        assertInstanceOf(EventParser.Invalid.class, parser.parseEvent(event.event(), RECEIVED))
            .error();
    return SegmentMapping.rename(error, event.fields());
  }

  @Test
  void trackMapsEventPropertiesMessageIdAndTimes() {
    AsEvent mapped =
        event(
            "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u_42\","
                + "\"properties\":{\"revenue\":19.99,\"plan\":\"pro\"},\"messageId\":\"m-1\","
                + "\"timestamp\":\"2026-03-10T11:00:00Z\",\"sentAt\":\"2026-03-10T11:00:05Z\","
                + "\"context\":{\"library\":{\"name\":\"analytics-node\"}},\"integrations\":{}}",
            SegmentType.TRACK);
    assertNull(mapped.implicitIdentify());
    IngestEvent event = stored(mapped);
    assertEquals("Order Completed", event.eventName());
    assertEquals("u_42", event.userIdentifier());
    assertEquals("{\"revenue\":19.99,\"plan\":\"pro\"}", event.metadataJson());
    assertEquals("m-1", event.clientEventId());
    // Native skew correction: timestamp + (received - sentAt).
    assertEquals(
        Instant.parse("2026-03-10T11:59:55Z").toEpochMilli(), event.eventTimeMs(), "corrected");
    assertEquals(Instant.parse("2026-03-10T11:00:05Z").toEpochMilli(), event.sentAtMs());
  }

  @Test
  void thePersonIsUserIdElseAnonymousId() {
    assertEquals(
        "anon-1",
        stored(event("{\"event\":\"a\",\"anonymousId\":\"anon-1\"}", SegmentType.TRACK))
            .userIdentifier());
    assertEquals(
        "anon-1",
        stored(
                event(
                    "{\"event\":\"a\",\"userId\":\"\",\"anonymousId\":\"anon-1\"}",
                    SegmentType.TRACK))
            .userIdentifier());
    assertEquals(
        "anon-1",
        stored(
                event(
                    "{\"event\":\"a\",\"userId\":null,\"anonymousId\":\"anon-1\"}",
                    SegmentType.TRACK))
            .userIdentifier());
    assertEquals(
        "42", stored(event("{\"event\":\"a\",\"userId\":42}", SegmentType.TRACK)).userIdentifier());

    Refused none = assertInstanceOf(Refused.class, map("{\"event\":\"a\"}", SegmentType.TRACK));
    assertEquals("missing_field", none.error().error());
    assertEquals("userId", none.error().field());
    Refused wrongType =
        assertInstanceOf(
            Refused.class, map("{\"event\":\"a\",\"anonymousId\":[1]}", SegmentType.TRACK));
    assertEquals("invalid_type", wrongType.error().error());
    assertEquals("anonymousId", wrongType.error().field());
    assertInstanceOf(Refused.class, map("[]", SegmentType.TRACK));
  }

  @Test
  void anEventWithBothIdsIsTheUsersAndLinksTheAnonymousId() {
    AsEvent mapped =
        event(
            "{\"event\":\"a\",\"userId\":\"u_42\",\"anonymousId\":\"anon-9\","
                + "\"timestamp\":\"2026-03-10T11:00:00Z\"}",
            SegmentType.TRACK);
    assertEquals("u_42", stored(mapped).userIdentifier());
    JsonNode link = mapped.implicitIdentify();
    assertEquals(
        json(
            "{\"type\":\"identify\",\"anonymous_id\":\"anon-9\",\"user_identifier\":\"u_42\","
                + "\"timestamp\":\"2026-03-10T11:00:00Z\"}"),
        link,
        "no traits and no id: a link that exists stores nothing");
    assertNull(
        event("{\"event\":\"a\",\"userId\":\"same\",\"anonymousId\":\"same\"}", SegmentType.TRACK)
            .implicitIdentify(),
        "an id is not linked to itself");
  }

  @Test
  void pageAndScreenAreViewedEventsWithNameAndCategory() {
    IngestEvent page =
        stored(
            event(
                "{\"anonymousId\":\"a\",\"name\":\"Pricing\",\"category\":\"Docs\","
                    + "\"properties\":{\"url\":\"https://x.example/pricing\",\"name\":\"old\"}}",
                SegmentType.PAGE));
    assertEquals(SegmentMapping.PAGE_EVENT, page.eventName());
    assertEquals(
        json("{\"url\":\"https://x.example/pricing\",\"name\":\"Pricing\",\"category\":\"Docs\"}"),
        json(page.metadataJson()));
    IngestEvent screen = stored(event("{\"userId\":\"u\",\"name\":\"Home\"}", SegmentType.SCREEN));
    assertEquals(SegmentMapping.SCREEN_EVENT, screen.eventName());
    assertEquals(json("{\"name\":\"Home\"}"), json(screen.metadataJson()));
    IngestEvent bare = stored(event("{\"userId\":\"u\"}", SegmentType.PAGE));
    assertNull(bare.metadataJson());
  }

  @Test
  void originalTimestampAndTheBatchSentAtFillIn() {
    AsEvent mapped =
        assertInstanceOf(
            AsEvent.class,
            SegmentMapping.map(
                json(
                    "{\"event\":\"a\",\"userId\":\"u\","
                        + "\"originalTimestamp\":\"2026-03-10T10:00:00Z\"}"),
                SegmentType.TRACK,
                json("\"2026-03-10T10:00:10Z\"")));
    IngestEvent event = stored(mapped);
    assertEquals(Instant.parse("2026-03-10T11:59:50Z").toEpochMilli(), event.eventTimeMs());
    assertEquals(Instant.parse("2026-03-10T10:00:10Z").toEpochMilli(), event.sentAtMs());
  }

  @Test
  void nativeErrorsNameTheSegmentFields() {
    ItemError noEvent = refusal(event("{\"userId\":\"u\"}", SegmentType.TRACK));
    assertEquals("missing_field", noEvent.error());
    assertEquals("event", noEvent.field());
    assertEquals("Field 'event' is required", noEvent.message());

    ItemError properties =
        refusal(event("{\"event\":\"a\",\"userId\":\"u\",\"properties\":[1]}", SegmentType.TRACK));
    assertEquals("invalid_metadata", properties.error());
    assertEquals("properties", properties.field());
    assertTrue(properties.message().contains("'properties'"), properties.message());

    ItemError tooLarge =
        refusal(
            event(
                "{\"userId\":\"u\",\"name\":\"" + "n".repeat(17 * 1024) + "\"}", SegmentType.PAGE));
    assertEquals("metadata_too_large", tooLarge.error());
    assertEquals("properties", tooLarge.field());

    ItemError anonymous =
        refusal(
            event(
                "{\"event\":\"a\",\"anonymousId\":\"" + "x".repeat(256) + "\"}",
                SegmentType.TRACK));
    assertEquals("invalid_length", anonymous.error());
    assertEquals("anonymousId", anonymous.field());

    ItemError messageId =
        refusal(event("{\"event\":\"a\",\"userId\":\"u\",\"messageId\":7}", SegmentType.TRACK));
    assertEquals("messageId", messageId.field());
    ItemError original =
        refusal(
            event(
                "{\"event\":\"a\",\"userId\":\"u\",\"originalTimestamp\":\"yesterday\"}",
                SegmentType.TRACK));
    assertEquals("originalTimestamp", original.field());
    ItemError sentAt =
        refusal(event("{\"event\":\"a\",\"userId\":\"u\",\"sentAt\":true}", SegmentType.TRACK));
    assertEquals("sentAt", sentAt.field());
    assertEquals("invalid_timestamp", sentAt.error());
  }

  @Test
  void identifyAndAliasBecomeNativeIdentifies() {
    AsIdentify both =
        assertInstanceOf(
            AsIdentify.class,
            map(
                "{\"userId\":\"u_42\",\"anonymousId\":\"anon-9\",\"traits\":{\"plan\":\"pro\"},"
                    + "\"messageId\":\"m-2\",\"timestamp\":\"2026-03-10T11:00:00Z\"}",
                SegmentType.IDENTIFY));
    assertEquals(
        json(
            "{\"type\":\"identify\",\"user_identifier\":\"u_42\",\"anonymous_id\":\"anon-9\","
                + "\"traits\":{\"plan\":\"pro\"},\"event_id\":\"m-2\","
                + "\"timestamp\":\"2026-03-10T11:00:00Z\"}"),
        both.identify());
    AsIdentify anonymousTraits =
        assertInstanceOf(
            AsIdentify.class,
            map("{\"anonymousId\":\"anon-9\",\"traits\":{\"a\":1}}", SegmentType.IDENTIFY));
    assertEquals(
        json("{\"type\":\"identify\",\"user_identifier\":\"anon-9\",\"traits\":{\"a\":1}}"),
        anonymousTraits.identify());
    assertEquals("anonymousId", anonymousTraits.fields().get("user_identifier"));

    AsIdentify alias =
        assertInstanceOf(
            AsIdentify.class,
            map(
                "{\"previousId\":\"anon-9\",\"userId\":\"u_42\",\"messageId\":\"m-3\"}",
                SegmentType.ALIAS));
    assertEquals(
        json(
            "{\"type\":\"identify\",\"anonymous_id\":\"anon-9\",\"user_identifier\":\"u_42\","
                + "\"event_id\":\"m-3\"}"),
        alias.identify());
    assertInstanceOf(Nothing.class, map("{\"userId\":\"u_42\"}", SegmentType.IDENTIFY));
    assertInstanceOf(
        Nothing.class,
        map(
            "{\"userId\":\"u_42\",\"anonymousId\":\"u_42\",\"traits\":null}",
            SegmentType.IDENTIFY));
    assertInstanceOf(
        Nothing.class, map("{\"userId\":\"u_42\",\"traits\":{}}", SegmentType.IDENTIFY));
    AsIdentify linkOnly =
        assertInstanceOf(
            AsIdentify.class,
            map("{\"userId\":\"u_42\",\"anonymousId\":\"a\",\"traits\":{}}", SegmentType.IDENTIFY));
    assertEquals(
        json("{\"type\":\"identify\",\"user_identifier\":\"u_42\",\"anonymous_id\":\"a\"}"),
        linkOnly.identify());
    Refused noPrevious =
        assertInstanceOf(Refused.class, map("{\"userId\":\"u_42\"}", SegmentType.ALIAS));
    assertEquals("previousId", noPrevious.error().field());
  }

  @Test
  void identifyErrorsNameTheSegmentFields() {
    IdentifyParser identifies = new IdentifyParser(parser);
    AsIdentify tooLong =
        assertInstanceOf(
            AsIdentify.class,
            map(
                "{\"userId\":\"u\",\"anonymousId\":\"" + "a".repeat(256) + "\"}",
                SegmentType.IDENTIFY));
    ItemError error =
        assertInstanceOf(
                IdentifyParser.Invalid.class, identifies.parse(tooLong.identify(), RECEIVED))
            .error();
    ItemError renamed = SegmentMapping.rename(error, tooLong.fields());
    assertEquals("invalid_length", renamed.error());
    assertEquals("anonymousId", renamed.field());
    assertTrue(renamed.message().contains("'anonymousId'"), renamed.message());

    AsIdentify alias =
        assertInstanceOf(
            AsIdentify.class,
            map(
                "{\"previousId\":\"" + "p".repeat(256) + "\",\"userId\":\"u\"}",
                SegmentType.ALIAS));
    assertEquals(
        "previousId",
        SegmentMapping.rename(
                assertInstanceOf(
                        IdentifyParser.Invalid.class, identifies.parse(alias.identify(), RECEIVED))
                    .error(),
                alias.fields())
            .field());

    AsIdentify traits =
        assertInstanceOf(
            AsIdentify.class, map("{\"userId\":\"u\",\"traits\":[1]}", SegmentType.IDENTIFY));
    ItemError traitsError =
        assertInstanceOf(
                IdentifyParser.Invalid.class, identifies.parse(traits.identify(), RECEIVED))
            .error();
    assertEquals("invalid_traits", SegmentMapping.rename(traitsError, traits.fields()).error());
    assertEquals("traits", SegmentMapping.rename(traitsError, traits.fields()).field());
    assertInstanceOf(
        IdentifyParser.Valid.class,
        identifies.parse(
            assertInstanceOf(
                    AsIdentify.class,
                    map(
                        "{\"userId\":\"u\",\"anonymousId\":\"a\",\"messageId\":\"m\"}",
                        SegmentType.IDENTIFY))
                .identify(),
            RECEIVED));
  }

  @Test
  void batchItemsAreTypedByTheirTypeField() {
    assertInstanceOf(
        AsEvent.class,
        SegmentMapping.mapBatchItem(json("{\"type\":\"screen\",\"userId\":\"u\"}"), null));
    assertInstanceOf(
        AsIdentify.class,
        SegmentMapping.mapBatchItem(
            json("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"a\":1}}"), null));
    Refused group =
        assertInstanceOf(
            Refused.class,
            SegmentMapping.mapBatchItem(
                json("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g\"}"), null));
    assertEquals("unsupported_type", group.error().error());
    assertTrue(group.error().message().contains("'group'"));
    Refused odd =
        assertInstanceOf(
            Refused.class,
            SegmentMapping.mapBatchItem(json("{\"type\":\"x\\u0000y\",\"userId\":\"u\"}"), null));
    assertTrue(!odd.error().message().contains("\u0000"));
    assertEquals(
        "missing_field",
        assertInstanceOf(
                Refused.class, SegmentMapping.mapBatchItem(json("{\"userId\":\"u\"}"), null))
            .error()
            .error());
    assertEquals(
        "invalid_type",
        assertInstanceOf(
                Refused.class,
                SegmentMapping.mapBatchItem(json("{\"type\":1,\"userId\":\"u\"}"), null))
            .error()
            .error());
    assertEquals(
        "invalid_event",
        assertInstanceOf(Refused.class, SegmentMapping.mapBatchItem(json("\"track\""), null))
            .error()
            .error());
  }
}
