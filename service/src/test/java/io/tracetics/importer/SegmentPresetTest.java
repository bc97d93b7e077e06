package io.tracetics.importer;

import static io.tracetics.importer.PresetAssertions.assertEvent;
import static io.tracetics.importer.PresetAssertions.assertIdentify;
import static io.tracetics.importer.PresetAssertions.assertInvalid;
import static io.tracetics.importer.PresetAssertions.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class SegmentPresetTest {
  private final SegmentPreset segment = new SegmentPreset();

  @Test
  void aTrackCallIsAnEventOfTheUserWithItsPropertiesAndImpliesTheLink() {
    assertEvent(
        segment,
        """
        {"type":"track","event":"Order Completed","userId":"u_42","anonymousId":"anon-9",
         "properties":{"total":30.5,"currency":"EUR"},"context":{"ip":"203.0.113.9"},
         "timestamp":"2026-01-02T03:04:05.678Z","receivedAt":"2026-01-02T03:04:06.000Z",
         "messageId":"ajs-1"}
        """,
        """
        {"event_name":"Order Completed","user_identifier":"u_42","event_id":"ajs-1",
         "metadata":{"total":30.5,"currency":"EUR"},"timestamp":"2026-01-02T03:04:05.678Z"}
        """,
        """
        {"anonymous_id":"anon-9","user_identifier":"u_42","timestamp":"2026-01-02T03:04:05.678Z"}
        """);
  }

  @Test
  void anAnonymousTrackCallBelongsToItsAnonymousIdAndImpliesNothing() {
    assertEvent(
        segment,
        """
        {"type":"track","event":"Viewed Pricing","anonymousId":"anon-9","userId":null,
         "originalTimestamp":"2026-01-02T03:00:00+01:00","messageId":"m-2"}
        """,
        """
        {"event_name":"Viewed Pricing","user_identifier":"anon-9","event_id":"m-2",
         "timestamp":"2026-01-02T03:00:00+01:00"}
        """,
        null);
  }

  @Test
  void pageAndScreenCallsBecomeViewedEventsWithTheirName() {
    assertEvent(
        segment,
        """
        {"type":"page","name":"Pricing","userId":"u1","properties":{"path":"/pricing"},
         "timestamp":"2026-01-02T03:04:05Z","messageId":"p-1"}
        """,
        """
        {"event_name":"page_viewed","user_identifier":"u1","event_id":"p-1",
         "metadata":{"path":"/pricing","name":"Pricing"},"timestamp":"2026-01-02T03:04:05Z"}
        """,
        null);
    assertEvent(
        segment,
        """
        {"type":"screen","name":"Home","anonymousId":"a1","timestamp":"2026-01-02T03:04:05Z"}
        """,
        """
        {"event_name":"screen_viewed","user_identifier":"a1","metadata":{"name":"Home"},
         "timestamp":"2026-01-02T03:04:05Z"}
        """,
        null);
  }

  @Test
  void identifyAndAliasCallsAreIdentifies() {
    assertIdentify(
        segment,
        """
        {"type":"identify","userId":"u_42","anonymousId":"anon-9","traits":{"plan":"pro"},
         "timestamp":"2026-01-02T03:04:05Z","messageId":"i-1"}
        """,
        """
        {"anonymous_id":"anon-9","user_identifier":"u_42","traits":{"plan":"pro"},
         "timestamp":"2026-01-02T03:04:05Z","event_id":"i-1"}
        """);
    // Without a user id: the anonymous person's traits (taken from context.traits here).
    assertIdentify(
        segment,
        """
        {"type":"identify","anonymousId":"anon-9","context":{"traits":{"email":"a@b.c"}},
         "timestamp":"2026-01-02T03:04:05Z"}
        """,
        """
        {"user_identifier":"anon-9","traits":{"email":"a@b.c"},"timestamp":"2026-01-02T03:04:05Z"}
        """);
    assertIdentify(
        segment,
        """
        {"type":"alias","previousId":"anon-7","userId":"u_42","timestamp":"2026-01-02T03:04:05Z",
         "messageId":"al-1"}
        """,
        """
        {"anonymous_id":"anon-7","user_identifier":"u_42","timestamp":"2026-01-02T03:04:05Z",
         "event_id":"al-1"}
        """);
  }

  @Test
  void groupCallsAreSkippedAndOtherTypesOrMissingTimesRefused() {
    assertInstanceOf(
        PresetRecord.Skipped.class,
        segment.map(record("{\"type\":\"group\",\"groupId\":\"g\",\"userId\":\"u\"}")));
    assertEquals(
        "type", assertInvalid(segment, "{\"type\":\"signup\",\"userId\":\"u\"}").error().field());
    assertEquals(
        "missing_field",
        assertInvalid(segment, "{\"type\":\"track\",\"event\":\"e\",\"userId\":\"u\"}")
            .error()
            .error());
  }
}
