package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class PresetFieldsTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Test
  void idsAreNonBlankTextOrIntegers() {
    assertEquals("u1", PresetFields.id(NODES.textNode("u1")));
    assertEquals("42", PresetFields.id(NODES.numberNode(42L)));
    assertNull(PresetFields.id(NODES.textNode("  ")));
    assertNull(PresetFields.id(NODES.numberNode(4.2)));
    assertNull(PresetFields.id(NODES.nullNode()));
    assertNull(PresetFields.id(null));
  }

  @Test
  void textTimesWithoutAnOffsetAreUtc() {
    assertEquals(
        NODES.numberNode(1_767_323_045_678L),
        PresetFields.utcTime(NODES.textNode("2026-01-02 03:04:05.678901")));
    assertEquals(
        NODES.numberNode(1_767_323_045_000L),
        PresetFields.utcTime(NODES.textNode("2026-01-02T03:04:05")));
    assertEquals(
        NODES.textNode("2026-01-02T03:04:05+02:00"),
        PresetFields.utcTime(NODES.textNode("2026-01-02 03:04:05+02:00")));
    assertEquals(NODES.textNode("yesterday"), PresetFields.utcTime(NODES.textNode("yesterday")));
    assertEquals(NODES.numberNode(5L), PresetFields.utcTime(NODES.numberNode(5L)));
  }

  @Test
  void epochTimesAreSecondsOrMillisecondsBySize() {
    assertEquals(
        NODES.numberNode(99_999_999_999_000L),
        PresetFields.epochTime(NODES.numberNode(99_999_999_999L)));
    assertEquals(
        NODES.numberNode(100_000_000_000L),
        PresetFields.epochTime(NODES.numberNode(100_000_000_000L)));
    assertEquals(
        NODES.numberNode(1_767_323_045_678L),
        PresetFields.epochTime(NODES.textNode("1767323045.6789")));
    assertEquals(NODES.textNode("soon"), PresetFields.epochTime(NODES.textNode("soon")));
  }

  @Test
  void aLinkIsImpliedOnlyByTwoDifferentIds() {
    assertNull(PresetFields.impliedIdentify(null, "u", NODES.numberNode(1)));
    assertNull(PresetFields.impliedIdentify("a", null, NODES.numberNode(1)));
    assertNull(PresetFields.impliedIdentify("u", "u", NODES.numberNode(1)));
    assertEquals(
        "{\"anonymous_id\":\"a\",\"user_identifier\":\"u\",\"timestamp\":1}",
        PresetFields.impliedIdentify("a", "u", NODES.numberNode(1)).toString());
  }
}
