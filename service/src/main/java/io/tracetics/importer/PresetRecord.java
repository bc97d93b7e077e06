package io.tracetics.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;

/**
 * What a {@link PresetMapping} makes of one export record. The objects are the API's own shapes
 * (the event of {@code POST /api/v1/events}, the identify of {@code POST /api/v1/identify}), still
 * to be validated by the API's rules.
 */
sealed interface PresetRecord {

  /**
   * An event; {@code impliedIdentify} links the anonymous id and the user id the record carries
   * both of (null when it carries one).
   */
  record Event(ObjectNode event, ObjectNode impliedIdentify) implements PresetRecord {}

  /** An identify or alias record: an identify and no event. */
  record Identify(ObjectNode identify) implements PresetRecord {}

  /** A kind of record the preset leaves out on purpose (such as Segment's group calls). */
  record Skipped(String reason) implements PresetRecord {}

  /** A record the preset cannot read (no time, an unknown message type). */
  record Invalid(ItemError error) implements PresetRecord {}
}
