package io.tracetics.importer;

import static io.tracetics.importer.PresetAssertions.assertEvent;
import static io.tracetics.importer.PresetAssertions.assertIdentify;
import static io.tracetics.importer.PresetAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AmplitudePresetTest {
  private final AmplitudePreset amplitude = new AmplitudePreset();

  @Test
  void anExportedEventInUtcWithoutAnOffsetAndItsDeviceLink() {
    assertEvent(
        amplitude,
        """
        {"event_type":"Song Played","user_id":"u_42","device_id":"dev-1",
         "event_time":"2026-01-02 03:04:05.678000","client_event_time":"2026-01-02 03:04:05.000000",
         "event_properties":{"genre":"jazz"},"user_properties":{"plan":"pro"},
         "$insert_id":"ins-1","uuid":"a1b2","amplitude_id":123,"platform":"Web"}
        """,
        """
        {"event_name":"Song Played","user_identifier":"u_42","event_id":"ins-1",
         "metadata":{"genre":"jazz"},"timestamp":1767323045678}
        """,
        """
        {"anonymous_id":"dev-1","user_identifier":"u_42","timestamp":1767323045678}
        """);
  }

  @Test
  void anAnonymousEventIsItsDevicesAndTheIdFallsBackToTheUuid() {
    assertEvent(
        amplitude,
        """
        {"event_type":"Viewed","user_id":null,"device_id":"dev-1","uuid":"a1b2",
         "client_event_time":"2026-01-02 03:04:05.000000","event_properties":{}}
        """,
        """
        {"event_name":"Viewed","user_identifier":"dev-1","event_id":"a1b2",
         "timestamp":1767323045000}
        """,
        null);
    assertEvent(
        amplitude,
        """
        {"event_type":"Viewed","user_id":"u_1","insert_id":"http-1",
         "event_time":"2026-01-02T03:04:05Z"}
        """,
        """
        {"event_name":"Viewed","user_identifier":"u_1","event_id":"http-1",
         "timestamp":"2026-01-02T03:04:05Z"}
        """,
        null);
  }

  @Test
  void identifyEventsSetTraitsAndLinkTheDevice() {
    assertIdentify(
        amplitude,
        """
        {"event_type":"$identify","user_id":"u_42","device_id":"dev-1",
         "event_time":"2026-01-02 03:04:05.678000","$insert_id":"ins-2",
         "user_properties":{"$set":{"plan":"pro"},"$unset":{"trial":"-"},"$add":{"logins":1}}}
        """,
        """
        {"anonymous_id":"dev-1","user_identifier":"u_42","traits":{"plan":"pro","trial":null},
         "timestamp":1767323045678,"event_id":"ins-2"}
        """);
    assertIdentify(
        amplitude,
        """
        {"event_type":"$identify","device_id":"dev-1","event_time":"2026-01-02 03:04:05",
         "user_properties":{"plan":"free"}}
        """,
        """
        {"user_identifier":"dev-1","traits":{"plan":"free"},"timestamp":1767323045000}
        """);
  }

  @Test
  void aRecordNeedsATime() {
    assertEquals(
        "timestamp",
        assertInvalid(amplitude, "{\"event_type\":\"e\",\"user_id\":\"u\"}").error().field());
  }
}
