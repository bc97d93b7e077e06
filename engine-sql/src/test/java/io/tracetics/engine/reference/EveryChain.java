package io.tracetics.engine.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.engine.query.EventMatch;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.PropertySource;
import io.tracetics.engine.store.EventRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A second reference for the attempts, written independently of {@link ReferenceFunnel} and sharing
 * no code with it: for ordered and strict funnels it lists every chain (a sequence of distinct
 * events, one per step, in time order inside the window, each step within its time limit of the
 * previous one) breadth-first, with no pruning or memo, and checks each gap of a strict chain
 * against every event of the user; for unordered funnels it tries every assignment of steps to
 * distinct events of the window. Slow by design: for the small random cases only.
 */
public final class EveryChain {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Event(
      int id, long t, String name, Map<String, String> props, Map<String, String> traits) {}

  private final FunnelQuery q;
  private final int n;
  private final long w;

  private final Map<String, Map<String, String>> traits;
  private final Map<Long, Set<String>> cohorts;

  private EveryChain(
      FunnelQuery q, Map<String, Map<String, String>> traits, Map<Long, Set<String>> cohorts) {
    this.q = q;
    this.traits = traits;
    this.cohorts = cohorts;
    this.n = q.steps().size();
    this.w = q.window().toMillis();
  }

  /** Every attempt before exclusions, in the format of {@link #line}, sorted. */
  public static List<String> attemptLines(FunnelQuery q, List<EventRow> rows) {
    return attemptLines(q, rows, Map.of());
  }

  /** With the persons' traits, for filters whose source is the user. */
  public static List<String> attemptLines(
      FunnelQuery q, List<EventRow> rows, Map<String, Map<String, String>> traits) {
    return attemptLines(q, rows, traits, Map.of());
  }

  /** With the app's cohorts as their member persons: only the persons they let in have events. */
  public static List<String> attemptLines(
      FunnelQuery q,
      List<EventRow> rows,
      Map<String, Map<String, String>> traits,
      Map<Long, Set<String>> cohorts) {
    return new EveryChain(q, traits, cohorts).lines(rows);
  }

  /** Included (some include cohort has the person, or none is named) and not excluded. */
  private boolean admitted(String person) {
    for (long c : q.cohorts().exclude()) {
      if (cohorts.containsKey(c) && cohorts.get(c).contains(person)) {
        return false;
      }
    }
    if (q.cohorts().include().isEmpty()) {
      return true;
    }
    for (long c : q.cohorts().include()) {
      if (cohorts.containsKey(c) && cohorts.get(c).contains(person)) {
        return true;
      }
    }
    return false;
  }

  /** {@code user|hold values|start|level|step times}. */
  static String line(String user, List<String> hold, long start, int level, long[] times) {
    return user + "|" + hold + "|" + start + "|" + level + "|" + Arrays.toString(times);
  }

  /**
   * The funnel's step events that have no unit, for a funnel counting units: those of admitted
   * persons without the count_by property that fill a step inside the bounds the funnel reads
   * ([from, to + W); in ordered and strict mode a first-step-only event before {@code to}).
   */
  public static long unassigned(
      FunnelQuery q,
      List<EventRow> rows,
      Map<String, Map<String, String>> traits,
      Map<Long, Set<String>> cohorts) {
    EveryChain every = new EveryChain(q, traits, cohorts);
    long count = 0;
    for (EventRow r : rows) {
      if (r.appId() != q.appId() || !every.admitted(r.userIdentifier())) {
        continue;
      }
      Event e =
          new Event(
              0,
              r.eventTimeMillis(),
              r.eventName(),
              props(r.metadataJson()),
              traits.getOrDefault(r.userIdentifier(), Map.of()));
      if (e.props().get(q.countBy().orElseThrow()) != null) {
        continue;
      }
      long end = q.to().map(to -> to.toEpochMilli() + every.w).orElse(Long.MAX_VALUE);
      if (q.from().isPresent() && e.t() < q.from().get().toEpochMilli() || e.t() >= end) {
        continue;
      }
      boolean fills = false;
      for (int k = 0; k < every.n; k++) {
        boolean entryOnly = k == 0 && q.order() != OrderMode.UNORDERED;
        fills |= every.fits(e, k) && (!entryOnly || every.entersInRange(e.t()));
      }
      if (fills) {
        count++;
      }
    }
    return count;
  }

  private List<String> lines(List<EventRow> rows) {
    // Whom an event counts for: its person, or the value of the count_by property (none: nobody).
    Map<String, List<Event>> byUser = new TreeMap<>();
    int id = 0;
    for (EventRow r : rows) {
      if (r.appId() == q.appId() && admitted(r.userIdentifier())) {
        Map<String, String> props = props(r.metadataJson());
        String whom = q.countBy().isPresent() ? props.get(q.countBy().get()) : r.userIdentifier();
        if (whom == null) {
          continue;
        }
        byUser
            .computeIfAbsent(whom, k -> new ArrayList<>())
            .add(
                new Event(
                    id++,
                    r.eventTimeMillis(),
                    r.eventName(),
                    props,
                    traits.getOrDefault(r.userIdentifier(), Map.of())));
      }
    }
    List<String> out = new ArrayList<>();
    byUser.forEach(
        (user, events) -> {
          Map<List<String>, List<Event>> byHold = new LinkedHashMap<>();
          for (Event e : events) {
            List<String> key =
                q.holdConstant().stream().map(p -> e.props().get(p)).collect(Collectors.toList());
            byHold.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
          }
          byHold.forEach(
              (hold, part) -> {
                for (long start : startInstants(part)) {
                  long[] best =
                      q.order() == OrderMode.UNORDERED
                          ? unordered(part, start)
                          : longestChain(part, events, start);
                  out.add(line(user, hold, start, best.length, best));
                }
              });
        });
    out.sort(null);
    return out;
  }

  private List<Long> startInstants(List<Event> part) {
    return part.stream()
        .filter(e -> q.order() == OrderMode.UNORDERED ? matchesAnyStep(e) : fits(e, 0))
        .map(Event::t)
        .filter(this::entersInRange)
        .distinct()
        .sorted()
        .toList();
  }

  private boolean entersInRange(long t) {
    return (q.from().isEmpty() || t >= q.from().get().toEpochMilli())
        && (q.to().isEmpty() || t < q.to().get().toEpochMilli());
  }

  // ------------------------------------------------------------------ ordered and strict

  /** The longest chain starting at {@code start}; the earliest step by step among those. */
  private long[] longestChain(List<Event> part, List<Event> everyEvent, long start) {
    List<List<Event>> level = new ArrayList<>();
    for (Event e : part) {
      if (e.t() == start && fits(e, 0)) {
        level.add(List.of(e));
      }
    }
    long[] best = new long[0];
    while (!level.isEmpty()) {
      for (List<Event> chain : level) {
        long[] times = chain.stream().mapToLong(Event::t).toArray();
        if (times.length > best.length
            || (times.length == best.length && Arrays.compare(times, best) < 0)) {
          best = times;
        }
      }
      List<List<Event>> longer = new ArrayList<>();
      for (List<Event> chain : level) {
        int k = chain.size();
        if (k == n) {
          continue;
        }
        Event last = chain.get(k - 1);
        for (Event e : part) {
          if (e.t() >= last.t()
              && e.t() <= start + w
              && !chain.contains(e)
              && fits(e, k)
              && withinLimit(last, e, k)
              && (q.order() != OrderMode.STRICT || gapIsClean(everyEvent, last, e, k - 1))) {
            List<Event> next = new ArrayList<>(chain);
            next.add(e);
            longer.add(next);
          }
        }
      }
      level = longer;
    }
    return best;
  }

  /** Step k's time limit, if it has one: {@code to} at most that long after {@code from}. */
  private boolean withinLimit(Event from, Event to, int k) {
    return q.steps().get(k).within().isEmpty()
        || to.t() - from.t() <= q.steps().get(k).within().get().toMillis();
  }

  /** Strict: every event of the user strictly between the two is another event of step k. */
  private boolean gapIsClean(List<Event> everyEvent, Event from, Event to, int k) {
    return everyEvent.stream()
        .filter(x -> from.t() < x.t() && x.t() < to.t())
        .allMatch(x -> fits(x, k));
  }

  // ------------------------------------------------------------------ unordered

  /**
   * The most steps that distinct events of [start, start + W] can fill, in any order; its times are
   * the earliest time of each step in the window, sorted, as many as steps filled.
   */
  private long[] unordered(List<Event> part, long start) {
    List<Event> window = part.stream().filter(e -> e.t() >= start && e.t() <= start + w).toList();
    int most = 0;
    for (int mask = 1; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) > most
          && assignable(mask, 0, window, new boolean[window.size()])) {
        most = Integer.bitCount(mask);
      }
    }
    List<Long> earliest = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int step = k;
      window.stream()
          .filter(e -> fits(e, step))
          .map(Event::t)
          .min(Comparator.naturalOrder())
          .ifPresent(earliest::add);
    }
    earliest.sort(null);
    return earliest.subList(0, most).stream().mapToLong(Long::longValue).toArray();
  }

  /** Whether the steps in {@code mask} from step {@code k} on can get distinct unused events. */
  private boolean assignable(int mask, int k, List<Event> window, boolean[] used) {
    if (k == n) {
      return true;
    }
    if ((mask & (1 << k)) == 0) {
      return assignable(mask, k + 1, window, used);
    }
    for (int i = 0; i < window.size(); i++) {
      if (!used[i] && fits(window.get(i), k)) {
        used[i] = true;
        boolean ok = assignable(mask, k + 1, window, used);
        used[i] = false;
        if (ok) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ matching

  private boolean matchesAnyStep(Event e) {
    for (int k = 0; k < n; k++) {
      if (fits(e, k)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the event fills step k: it satisfies one of the step's alternatives. */
  private boolean fits(Event e, int k) {
    FunnelStep step = q.steps().get(k);
    for (EventMatch alternative : step.anyOf()) {
      if (satisfies(e, alternative)) {
        return true;
      }
    }
    return false;
  }

  private boolean satisfies(Event e, EventMatch alternative) {
    if (!e.name().equals(alternative.eventName())) {
      return false;
    }
    for (PropertyFilter f : alternative.filters()) {
      Map<String, String> from = f.source() == PropertySource.USER ? e.traits() : e.props();
      if (!holds(f, from.get(f.property()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(PropertyFilter f, String v) {
    Double x = numeric(v);
    switch (f.op()) {
      case IS_SET:
        return v != null;
      case IS_NOT_SET:
        return v == null;
      case NEQ:
        return !Objects.equals(v, f.value());
      default:
        break;
    }
    if (v == null) {
      return false;
    }
    return switch (f.op()) {
      case EQ -> v.equals(f.value());
      case IN -> f.values().contains(v);
      case CONTAINS -> v.toLowerCase(Locale.ROOT).contains(f.value().toLowerCase(Locale.ROOT));
      case GT -> x != null && x > f.numericValue();
      case GTE -> x != null && x >= f.numericValue();
      case LT -> x != null && x < f.numericValue();
      case LTE -> x != null && x <= f.numericValue();
      default -> throw new AssertionError(f.op());
    };
  }

  private static Double numeric(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Double.valueOf(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * An event's metadata as property texts: JSON null leaves a key out, a non-string is its JSON.
   */
  public static Map<String, String> props(String json) {
    Map<String, String> out = new TreeMap<>();
    if (json == null) {
      return out;
    }
    try {
      JsonNode node = JSON.readTree(json);
      node.fields()
          .forEachRemaining(
              f -> {
                if (!f.getValue().isNull()) {
                  out.put(
                      f.getKey(),
                      f.getValue().isTextual()
                          ? f.getValue().textValue()
                          : f.getValue().toString());
                }
              });
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
