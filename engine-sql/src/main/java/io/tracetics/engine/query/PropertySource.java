package io.tracetics.engine.query;

/**
 * Where a filter or breakdown reads its property: the event's {@code metadata}, or the traits of
 * the person the event belongs to as they are when the funnel is computed.
 */
public enum PropertySource {
  EVENT("event"),
  USER("user");

  private final String wire;

  PropertySource(String wire) {
    this.wire = wire;
  }

  /** The name in the API. */
  public String wire() {
    return wire;
  }

  /** The source named {@code wire} in the API, or null if none is. */
  public static PropertySource fromWire(String wire) {
    for (PropertySource s : values()) {
      if (s.wire.equals(wire)) {
        return s;
      }
    }
    return null;
  }
}
