package io.tracetics.segment;

import java.util.Locale;
import java.util.Optional;

/** The Segment message types Tracetics takes ({@code group} is not one of them). */
public enum SegmentType {
  TRACK,
  PAGE,
  SCREEN,
  IDENTIFY,
  ALIAS;

  /** The type named by a batch item's {@code type} field, if it is one of these. */
  static Optional<SegmentType> named(String type) {
    for (SegmentType value : values()) {
      if (value.wireName().equals(type)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** The name Segment clients send in {@code type}. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
