package io.tracetics.engine.exec;

import io.tracetics.engine.store.EventRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Per-user journeys (as PostHog's test_journeys.py): {@code user("u1").at(0, "pv").at(30, "buy",
 * "plan", "pro")}. Times are seconds after {@link #BASE} (a Monday, 00:00 UTC), or {@link #atMs}
 * milliseconds.
 */
public final class Journeys {
  public static final Instant BASE = Instant.parse("2026-01-05T00:00:00Z");

  private final long appId;
  private final List<EventRow> rows = new ArrayList<>();
  private long nextId;
  private String user;

  public Journeys(long appId, long firstId) {
    this.appId = appId;
    this.nextId = firstId;
  }

  public long appId() {
    return appId;
  }

  public Journeys user(String name) {
    this.user = name;
    return this;
  }

  /**
   * An event {@code seconds} after BASE, with metadata key/value pairs (a value of digits is a JSON
   * number, a null value JSON null).
   */
  public Journeys at(double seconds, String event, String... props) {
    return atMs(Math.round(seconds * 1000), event, props);
  }

  public Journeys atMs(long millis, String event, String... props) {
    Map<String, String> md = new LinkedHashMap<>();
    for (int i = 0; i + 1 < props.length; i += 2) {
      md.put(props[i], props[i + 1]);
    }
    String json =
        md.isEmpty()
            ? null
            : md.entrySet().stream()
                .map(
                    e ->
                        quote(e.getKey())
                            + ":"
                            + (e.getValue() == null || e.getValue().matches("-?\\d+")
                                ? String.valueOf(e.getValue())
                                : quote(e.getValue())))
                .collect(Collectors.joining(",", "{", "}"));
    long t = BASE.toEpochMilli() + millis;
    rows.add(new EventRow(nextId++, appId, user, event, t, t + 1000, json));
    return this;
  }

  public List<EventRow> rows() {
    return List.copyOf(rows);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
