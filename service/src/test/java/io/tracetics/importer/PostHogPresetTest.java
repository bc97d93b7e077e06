package io.tracetics.importer;

import static io.tracetics.importer.PresetAssertions.assertEvent;
import static io.tracetics.importer.PresetAssertions.assertIdentify;
import static io.tracetics.importer.PresetAssertions.assertInvalid;
import static io.tracetics.importer.PresetAssertions.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class PostHogPresetTest {
  private final PostHogPreset posthog = new PostHogPreset();

  @Test
  void anEventKeepsItsPropertiesButNotThePersonUpdates() {
    assertEvent(
        posthog,
        """
        {"uuid":"0190a1b2-0000-7000-8000-000000000001","event":"$pageview",
         "distinct_id":"0190a1b2-anon","person_id":"p-1",
         "properties":{"$current_url":"https://x.test/pricing","$browser":"Firefox",
                       "$set":{"email":"a@b.c"},"$set_once":{"first_seen":"x"}},
         "person_properties":{"email":"a@b.c"},"elements_chain":"",
         "timestamp":"2026-01-02T03:04:05.678000+00:00","created_at":"2026-01-02T03:04:06Z"}
        """,
        """
        {"event_name":"$pageview","user_identifier":"0190a1b2-anon",
         "event_id":"0190a1b2-0000-7000-8000-000000000001",
         "metadata":{"$current_url":"https://x.test/pricing","$browser":"Firefox"},
         "timestamp":"2026-01-02T03:04:05.678000+00:00"}
        """,
        null);
  }

  @Test
  void propertiesWrittenAsAJsonStringAreRead() {
    assertEvent(
        posthog,
        """
        {"uuid":"u-2","event":"signed_up","distinct_id":"u_42",
         "properties":"{\\"plan\\":\\"pro\\"}","timestamp":"2026-01-02 03:04:05.678000"}
        """,
        """
        {"event_name":"signed_up","user_identifier":"u_42","event_id":"u-2",
         "metadata":{"plan":"pro"},"timestamp":1767323045678}
        """,
        null);
    assertEquals(
        "invalid_metadata",
        assertInvalid(
                posthog,
                "{\"event\":\"e\",\"distinct_id\":\"u\",\"properties\":\"[1]\","
                    + "\"timestamp\":\"2026-01-02T03:04:05Z\"}")
            .error()
            .error());
  }

  @Test
  void identifyAliasAndSetEventsAreIdentifies() {
    assertIdentify(
        posthog,
        """
        {"uuid":"id-1","event":"$identify","distinct_id":"u_42",
         "properties":{"$anon_distinct_id":"0190-anon","$set":{"plan":"pro"}},
         "timestamp":"2026-01-02T03:04:05Z"}
        """,
        """
        {"anonymous_id":"0190-anon","user_identifier":"u_42","traits":{"plan":"pro"},
         "timestamp":"2026-01-02T03:04:05Z","event_id":"id-1"}
        """);
    assertIdentify(
        posthog,
        """
        {"uuid":"al-1","event":"$create_alias","distinct_id":"u_42",
         "properties":{"alias":"old-id"},"timestamp":"2026-01-02T03:04:05Z"}
        """,
        """
        {"anonymous_id":"old-id","user_identifier":"u_42","timestamp":"2026-01-02T03:04:05Z",
         "event_id":"al-1"}
        """);
    assertIdentify(
        posthog,
        """
        {"uuid":"s-1","event":"$set","distinct_id":"u_42",
         "properties":{"$set":{"plan":null}},"timestamp":"2026-01-02T03:04:05Z"}
        """,
        """
        {"user_identifier":"u_42","traits":{"plan":null},"timestamp":"2026-01-02T03:04:05Z",
         "event_id":"s-1"}
        """);
  }

  @Test
  void groupIdentifiesAreSkippedAndARecordNeedsATime() {
    assertInstanceOf(
        PresetRecord.Skipped.class,
        posthog.map(record("{\"event\":\"$groupidentify\",\"distinct_id\":\"u\"}")));
    assertEquals(
        "timestamp",
        assertInvalid(posthog, "{\"event\":\"e\",\"distinct_id\":\"u\"}").error().field());
  }
}
