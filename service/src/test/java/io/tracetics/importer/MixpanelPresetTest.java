package io.tracetics.importer;

import static io.tracetics.importer.PresetAssertions.assertEvent;
import static io.tracetics.importer.PresetAssertions.assertIdentify;
import static io.tracetics.importer.PresetAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MixpanelPresetTest {
  private final MixpanelPreset mixpanel = new MixpanelPreset();

  @Test
  void anExportedEventInSecondsWithItsPropertiesAsMetadata() {
    assertEvent(
        mixpanel,
        """
        {"event":"Signed Up","properties":{"time":1767323045,"distinct_id":"u_42",
         "$insert_id":"ins-1","token":"project-token","mp_lib":"web","Referred by":"Friend"}}
        """,
        """
        {"event_name":"Signed Up","user_identifier":"u_42","event_id":"ins-1",
         "metadata":{"mp_lib":"web","Referred by":"Friend"},"timestamp":1767323045000}
        """,
        null);
  }

  @Test
  void millisecondsAndFractionsOfSecondsAreToldApart() {
    assertEvent(
        mixpanel,
        "{\"event\":\"e\",\"properties\":{\"time\":1767323045678,\"distinct_id\":\"u\"}}",
        "{\"event_name\":\"e\",\"user_identifier\":\"u\",\"timestamp\":1767323045678}",
        null);
    assertEvent(
        mixpanel,
        "{\"event\":\"e\",\"properties\":{\"time\":1767323045.678,\"distinct_id\":\"u\"}}",
        "{\"event_name\":\"e\",\"user_identifier\":\"u\",\"timestamp\":1767323045678}",
        null);
  }

  @Test
  void simplifiedIdMergeDevicesAndUsers() {
    // Anonymous: Mixpanel's $device: prefix is dropped, so the id is the device id.
    assertEvent(
        mixpanel,
        """
        {"event":"Viewed Pricing","properties":{"time":1767323000,
         "distinct_id":"$device:dev-1","$device_id":"dev-1","$insert_id":"i-1"}}
        """,
        """
        {"event_name":"Viewed Pricing","user_identifier":"dev-1","event_id":"i-1",
         "timestamp":1767323000000}
        """,
        null);
    // Signed in: the user, and the device joins the user.
    assertEvent(
        mixpanel,
        """
        {"event":"Upgraded","properties":{"time":1767323100,"distinct_id":"u_42",
         "$device_id":"dev-1","$user_id":"u_42","$insert_id":"i-2","plan":"pro"}}
        """,
        """
        {"event_name":"Upgraded","user_identifier":"u_42","event_id":"i-2",
         "metadata":{"plan":"pro"},"timestamp":1767323100000}
        """,
        """
        {"anonymous_id":"dev-1","user_identifier":"u_42","timestamp":1767323100000}
        """);
  }

  @Test
  void identifyAliasAndMergeRecordsAreIdentifies() {
    assertIdentify(
        mixpanel,
        """
        {"event":"$identify","properties":{"time":1767323045,"distinct_id":"u_42",
         "$anon_distinct_id":"dev-1","$identified_id":"u_42","$insert_id":"i-3"}}
        """,
        """
        {"anonymous_id":"dev-1","user_identifier":"u_42","timestamp":1767323045000,
         "event_id":"i-3"}
        """);
    assertIdentify(
        mixpanel,
        """
        {"event":"$create_alias","properties":{"time":1767323045,"distinct_id":"u_42",
         "alias":"legacy-7"}}
        """,
        "{\"anonymous_id\":\"legacy-7\",\"user_identifier\":\"u_42\",\"timestamp\":1767323045000}");
    assertIdentify(
        mixpanel,
        """
        {"event":"$merge","properties":{"time":1767323045,"$distinct_ids":["u_42","$device:d-9"]}}
        """,
        "{\"anonymous_id\":\"d-9\",\"user_identifier\":\"u_42\",\"timestamp\":1767323045000}");
  }

  @Test
  void recordsWithoutPropertiesTimeOrTwoMergeIdsAreRefused() {
    assertEquals("properties", assertInvalid(mixpanel, "{\"event\":\"e\"}").error().field());
    assertEquals(
        "missing_field",
        assertInvalid(mixpanel, "{\"event\":\"e\",\"properties\":{\"distinct_id\":\"u\"}}")
            .error()
            .error());
    assertEquals(
        "invalid_identify",
        assertInvalid(
                mixpanel,
                "{\"event\":\"$merge\",\"properties\":{\"time\":1,\"$distinct_ids\":[\"a\"]}}")
            .error()
            .error());
  }
}
