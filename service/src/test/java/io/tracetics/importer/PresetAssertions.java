package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Runs a preset's mapping on JSON text and compares what it makes, for the presets' tests. */
final class PresetAssertions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PresetAssertions() {}

  static ObjectNode record(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    return record(text);
  }

  /** The record maps to this event, and to this implied identify (null: none). */
  static void assertEvent(
      PresetMapping mapping, String record, String event, String impliedIdentify) {
    PresetRecord.Event mapped =
        assertInstanceOf(PresetRecord.Event.class, mapping.map(record(record)));
    assertEquals(json(event), mapped.event(), () -> mapped.event().toString());
    if (impliedIdentify == null) {
      assertNull(mapped.impliedIdentify());
    } else {
      assertEquals(
          json(impliedIdentify), mapped.impliedIdentify(), () -> "" + mapped.impliedIdentify());
    }
  }

  static void assertIdentify(PresetMapping mapping, String record, String identify) {
    PresetRecord.Identify mapped =
        assertInstanceOf(PresetRecord.Identify.class, mapping.map(record(record)));
    assertEquals(json(identify), mapped.identify(), () -> mapped.identify().toString());
  }

  static PresetRecord.Invalid assertInvalid(PresetMapping mapping, String record) {
    return assertInstanceOf(PresetRecord.Invalid.class, mapping.map(record(record)));
  }
}
