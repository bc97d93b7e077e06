package io.tracetics.engine.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.PropertySource;
import io.tracetics.engine.query.TrendInterval;
import io.tracetics.engine.store.EventRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The funnel semantics of engine-sql/README.md in plain Java, written to be obviously right rather
 * than fast: for every user, every hold-constant value and every start instant, it searches all
 * chains of distinct events and keeps the longest. It shares no code with the planner.
 */
public final class ReferenceFunnel {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One event as the reference sees it: parsed metadata values as text; {@code user} is whom it
   * counts for (its person, or its unit's value when the funnel counts units), {@code traits} its
   * person's.
   */
  record Ev(
      int idx,
      String user,
      String name,
      long t,
      Map<String, String> props,
      Map<String, String> traits) {

    /** The property's text from the event's metadata or its person's traits; null when unset. */
    String value(PropertySource source, String property) {
      return (source == PropertySource.USER ? traits : props).get(property);
    }
  }

  /** An attempt: a start instant in one hold partition, its level and step times. */
  record Attempt(
      String user,
      List<String> hold,
      long start,
      int level,
      long[] times,
      String bd,
      boolean hit) {}

  private final FunnelQuery q;
  private final int n;
  private final long w;

  private final Map<String, Map<String, String>> traits;
  private final Map<Long, Set<String>> cohorts;

  private ReferenceFunnel(
      FunnelQuery q, Map<String, Map<String, String>> traits, Map<Long, Set<String>> cohorts) {
    this.q = q;
    this.traits = traits;
    this.cohorts = cohorts;
    this.n = q.steps().size();
    this.w = q.window().toMillis();
  }

  public static Summary evaluate(FunnelQuery q, List<EventRow> rows) {
    return evaluate(q, rows, Map.of());
  }

  /** With the persons' traits ({@link Identities#traits}) for filters that read them. */
  public static Summary evaluate(
      FunnelQuery q, List<EventRow> rows, Map<String, Map<String, String>> traits) {
    return evaluate(q, rows, traits, Map.of());
  }

  /**
   * With the app's live cohorts as their member persons ({@link Identities#cohorts}), for a query
   * restricted by cohorts; a cohort missing from {@code cohorts} has no members.
   */
  public static Summary evaluate(
      FunnelQuery q,
      List<EventRow> rows,
      Map<String, Map<String, String>> traits,
      Map<Long, Set<String>> cohorts) {
    ReferenceFunnel reference = new ReferenceFunnel(q, traits, cohorts);
    Summary summary = reference.summarise(reference.attempts(rows));
    if (q.countBy().isPresent()) {
      summary.countBy = q.countBy().get() + " unassigned=" + reference.unassigned(rows);
    }
    return summary;
  }

  /**
   * Every attempt before exclusions, as {@code user|hold values|start|level|step times}, sorted:
   * what {@link EveryChain} computes its own way.
   */
  public static List<String> attemptLines(FunnelQuery q, List<EventRow> rows) {
    return attemptLines(q, rows, Map.of());
  }

  public static List<String> attemptLines(
      FunnelQuery q, List<EventRow> rows, Map<String, Map<String, String>> traits) {
    return attemptLines(q, rows, traits, Map.of());
  }

  public static List<String> attemptLines(
      FunnelQuery q,
      List<EventRow> rows,
      Map<String, Map<String, String>> traits,
      Map<Long, Set<String>> cohorts) {
    return new ReferenceFunnel(q, traits, cohorts)
        .attempts(rows).stream()
            .map(a -> EveryChain.line(a.user(), a.hold(), a.start(), a.level(), a.times()))
            .sorted()
            .toList();
  }

  /**
   * Per user, the step times of the attempt the user is counted with (their number is the user's
   * level; the first is the attempt's start); users counted at no step are absent.
   */
  public static Map<String, long[]> chosenTimes(
      FunnelQuery q, List<EventRow> rows, Map<String, Map<String, String>> traits) {
    return chosenTimes(q, rows, traits, Map.of());
  }

  /**
   * {@link #chosenTimes(FunnelQuery, List, Map)} with the app's live cohorts as their member
   * persons ({@link Identities#cohorts}): users the query's cohorts leave out are absent.
   */
  public static Map<String, long[]> chosenTimes(
      FunnelQuery q,
      List<EventRow> rows,
      Map<String, Map<String, String>> traits,
      Map<Long, Set<String>> cohorts) {
    Map<String, Attempt> chosen = chosen(new ReferenceFunnel(q, traits, cohorts).attempts(rows));
    Map<String, long[]> out = new TreeMap<>();
    chosen.forEach((user, a) -> out.put(user, a.times()));
    return out;
  }

  /** Each counted user's events, as {@link #attempts} read them (by time, then load order). */
  private Map<String, List<Ev>> eventsByUser = Map.of();

  /**
   * The events the funnel counts, by whom they count for: the event's person, or, when the funnel
   * counts units, the value of its count_by property (events without it belong to nobody). Events
   * of persons the cohorts leave out are dropped first.
   */
  private Map<String, List<Ev>> byUser(List<EventRow> rows) {
    Map<String, List<Ev>> byUser = new TreeMap<>();
    int idx = 0;
    for (EventRow r : rows) {
      if (r.appId() != q.appId() || !counted(r.userIdentifier())) {
        continue;
      }
      Map<String, String> props = parse(r.metadataJson());
      String user = q.countBy().isPresent() ? props.get(q.countBy().get()) : r.userIdentifier();
      if (user == null) {
        continue;
      }
      byUser
          .computeIfAbsent(user, u -> new ArrayList<>())
          .add(
              new Ev(
                  idx++,
                  user,
                  r.eventName(),
                  r.eventTimeMillis(),
                  props,
                  traits.getOrDefault(r.userIdentifier(), Map.of())));
    }
    return byUser;
  }

  /**
   * How many of the funnel's step events lack the count_by property: events of counted persons that
   * fill some step, at or after {@code from} and before {@code to} + W; in ordered and strict mode
   * an event filling only the first step also before {@code to}.
   */
  private long unassigned(List<EventRow> rows) {
    long count = 0;
    for (EventRow r : rows) {
      if (r.appId() != q.appId() || !counted(r.userIdentifier())) {
        continue;
      }
      Map<String, String> props = parse(r.metadataJson());
      if (props.containsKey(q.countBy().get())) {
        continue;
      }
      Ev e =
          new Ev(
              0,
              null,
              r.eventName(),
              r.eventTimeMillis(),
              props,
              traits.getOrDefault(r.userIdentifier(), Map.of()));
      long t = e.t();
      if (q.from().isPresent() && t < q.from().get().toEpochMilli()) {
        continue;
      }
      if (q.to().isPresent() && t - q.to().get().toEpochMilli() >= w) {
        continue;
      }
      boolean later = false;
      for (int k = 1; k < n; k++) {
        later |= step(e, k);
      }
      boolean first = step(e, 0) && (q.order() == OrderMode.UNORDERED || inRange(t));
      if (later || first) {
        count++;
      }
    }
    return count;
  }

  private List<Attempt> attempts(List<EventRow> rows) {
    Map<String, List<Ev>> byUser = byUser(rows);
    eventsByUser = byUser;
    List<Attempt> attempts = new ArrayList<>();
    for (List<Ev> events : byUser.values()) {
      events.sort(Comparator.comparingLong(Ev::t).thenComparingInt(Ev::idx));
      Map<List<String>, List<Ev>> partitions = new HashMap<>();
      for (Ev e : events) {
        partitions.computeIfAbsent(holdKey(e), k -> new ArrayList<>()).add(e);
      }
      for (Map.Entry<List<String>, List<Ev>> p : partitions.entrySet()) {
        attempts.addAll(
            q.order() == OrderMode.UNORDERED
                ? unorderedAttempts(p.getKey(), p.getValue())
                : orderedAttempts(p.getKey(), p.getValue(), events));
      }
    }
    return attempts;
  }

  /**
   * Whether the query's cohorts let this person in: a member of some include cohort (when it names
   * any) and of no exclude cohort. Applied before anything else, as if the others had no events.
   */
  private boolean counted(String person) {
    boolean included =
        q.cohorts().include().isEmpty()
            || q.cohorts().include().stream()
                .anyMatch(c -> cohorts.getOrDefault(c, Set.of()).contains(person));
    boolean excluded =
        q.cohorts().exclude().stream()
            .anyMatch(c -> cohorts.getOrDefault(c, Set.of()).contains(person));
    return included && !excluded;
  }

  // ------------------------------------------------------------------ matching

  private static Map<String, String> parse(String json) {
    Map<String, String> out = new HashMap<>();
    if (json == null) {
      return out;
    }
    try {
      JsonNode node = JSON.readTree(json);
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode v = f.getValue();
        if (!v.isNull()) {
          out.put(f.getKey(), v.isTextual() ? v.textValue() : v.toString());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> holdKey(Ev e) {
    List<String> key = new ArrayList<>();
    for (String p : q.holdConstant()) {
      key.add(e.props().get(p));
    }
    return key;
  }

  static boolean matches(Ev e, String name, List<PropertyFilter> filters) {
    if (!e.name().equals(name)) {
      return false;
    }
    for (PropertyFilter f : filters) {
      String v = e.value(f.source(), f.property());
      boolean ok =
          switch (f.op()) {
            case EQ -> v != null && v.equals(f.value());
            case NEQ -> v == null || !v.equals(f.value());
            case IN -> v != null && f.values().contains(v);
            case CONTAINS ->
                v != null
                    && v.toLowerCase(Locale.ROOT).contains(f.value().toLowerCase(Locale.ROOT));
            case GT -> number(v) != null && number(v) > f.numericValue();
            case GTE -> number(v) != null && number(v) >= f.numericValue();
            case LT -> number(v) != null && number(v) < f.numericValue();
            case LTE -> number(v) != null && number(v) <= f.numericValue();
            case IS_SET -> v != null;
            case IS_NOT_SET -> v == null;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static Double number(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether {@code e} fills step k: it matches any of the step's alternatives. */
  private boolean step(Ev e, int k) {
    FunnelStep s = q.steps().get(k);
    return s.anyOf().stream().anyMatch(m -> matches(e, m.eventName(), m.filters()));
  }

  private boolean inRange(long t) {
    return q.from().map(f -> t >= f.toEpochMilli()).orElse(true)
        && q.to().map(to -> t < to.toEpochMilli()).orElse(true);
  }

  private String firstValue(List<Ev> candidates) {
    if (q.breakdown().isEmpty()) {
      return null;
    }
    String best = null;
    for (Ev e : candidates) {
      String v = e.value(q.breakdown().get().source(), q.breakdown().get().property());
      if (v != null && (best == null || v.compareTo(best) < 0)) {
        best = v;
      }
    }
    return best;
  }

  // ------------------------------------------------------------------ ordered and strict

  /**
   * For each start instant: all chains from a step-1 event at that instant; the attempt is the
   * longest chain, earliest step by step among the longest; then exclusions are checked on it.
   */
  private List<Attempt> orderedAttempts(List<String> hold, List<Ev> part, List<Ev> allOfUser) {
    List<Attempt> out = new ArrayList<>();
    Set<Long> starts = new java.util.TreeSet<>();
    for (Ev e : part) {
      if (step(e, 0) && inRange(e.t())) {
        starts.add(e.t());
      }
    }
    for (long s : starts) {
      Search search = new Search(part, allOfUser, s);
      for (Ev e0 : part) {
        if (e0.t() == s && step(e0, 0)) {
          List<Ev> chain = new ArrayList<>();
          chain.add(e0);
          search.extend(chain);
        }
      }
      long[] times = search.best;
      int level = times.length;
      List<Ev> startEvents = part.stream().filter(e -> e.t() == s && step(e, 0)).toList();
      boolean hit = hitByExclusion(allOfUser, s, times);
      out.add(new Attempt(part.get(0).user(), hold, s, level, times, firstValue(startEvents), hit));
    }
    return out;
  }

  /** Depth-first search over chains from one start; keeps the best (longest, then earliest). */
  private final class Search {
    final List<Ev> part;
    final List<Ev> allOfUser;
    final long start;
    long[] best = new long[0];
    final Map<String, long[]> seen = new HashMap<>();

    Search(List<Ev> part, List<Ev> allOfUser, long start) {
      this.part = part;
      this.allOfUser = allOfUser;
      this.start = start;
    }

    void extend(List<Ev> chain) {
      long[] times = chain.stream().mapToLong(Ev::t).toArray();
      if (better(times, best)) {
        best = times;
      }
      int k = chain.size();
      if (k == n) {
        return;
      }
      Ev last = chain.get(k - 1);
      // Memo: the future depends only on the step, the last instant and the events used there
      // (step time limits count from the last instant too).
      StringBuilder key = new StringBuilder().append(k).append('|').append(last.t()).append('|');
      chain.stream()
          .filter(e -> e.t() == last.t())
          .map(Ev::idx)
          .sorted()
          .forEach(i -> key.append(i).append(','));
      // The same future was already explored from a prefix that was at least as early.
      long[] earlier = seen.get(key.toString());
      if (earlier != null && !better(times, earlier)) {
        return;
      }
      seen.put(key.toString(), times);
      for (Ev next : part) {
        if (next.t() < last.t() || next.t() - start > w || chain.contains(next) || !step(next, k)) {
          continue;
        }
        if (next.t() - last.t() > limit(k)) {
          continue;
        }
        if (q.order() == OrderMode.STRICT && breaks(last.t(), next.t(), k - 1)) {
          continue;
        }
        chain.add(next);
        extend(chain);
        chain.remove(chain.size() - 1);
      }
    }

    /** Strict: an event of the user strictly between, other than a repeat of the current step. */
    boolean breaks(long from, long to, int currentStep) {
      for (Ev x : allOfUser) {
        if (x.t() > from && x.t() < to && !step(x, currentStep)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Step k's time limit since the chain's previous step (no limit: the largest long). */
  private long limit(int k) {
    return q.steps().get(k).within().map(java.time.Duration::toMillis).orElse(Long.MAX_VALUE);
  }

  private static boolean better(long[] a, long[] b) {
    if (a.length != b.length) {
      return a.length > b.length;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return a[i] < b[i];
      }
    }
    return false;
  }

  private boolean hitByExclusion(List<Ev> allOfUser, long s, long[] times) {
    for (Exclusion x : q.exclusions()) {
      int i = x.fromStep();
      int j = x.toStep();
      if (times.length <= i) {
        continue;
      }
      long after = times[i];
      boolean reachedJ = times.length > j;
      for (Ev e : allOfUser) {
        if (!matches(e, x.eventName(), x.filters()) || e.t() <= after) {
          continue;
        }
        if (reachedJ ? e.t() < times[j] : e.t() <= s + w) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ unordered

  private List<Attempt> unorderedAttempts(List<String> hold, List<Ev> part) {
    List<Attempt> out = new ArrayList<>();
    Set<Long> starts = new java.util.TreeSet<>();
    for (Ev e : part) {
      if (anyStep(e) && inRange(e.t())) {
        starts.add(e.t());
      }
    }
    for (long s : starts) {
      List<Ev> window = part.stream().filter(e -> e.t() >= s && e.t() <= s + w).toList();
      int level = maxMatching(window);
      List<Long> firsts = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        final int step = k;
        window.stream().filter(e -> step(e, step)).mapToLong(Ev::t).min().ifPresent(firsts::add);
      }
      firsts.sort(null);
      long[] times = firsts.subList(0, level).stream().mapToLong(Long::longValue).toArray();
      List<Ev> startEvents = part.stream().filter(e -> e.t() == s && anyStep(e)).toList();
      out.add(
          new Attempt(part.get(0).user(), hold, s, level, times, firstValue(startEvents), false));
    }
    return out;
  }

  private boolean anyStep(Ev e) {
    for (int k = 0; k < n; k++) {
      if (step(e, k)) {
        return true;
      }
    }
    return false;
  }

  /** Largest number of steps given distinct events (Kuhn's augmenting paths). */
  private int maxMatching(List<Ev> events) {
    int[] owner = new int[events.size()];
    Arrays.fill(owner, -1);
    int size = 0;
    for (int k = 0; k < n; k++) {
      if (augment(k, events, owner, new boolean[events.size()])) {
        size++;
      }
    }
    return size;
  }

  private boolean augment(int k, List<Ev> events, int[] owner, boolean[] visited) {
    for (int e = 0; e < events.size(); e++) {
      if (!visited[e] && step(events.get(e), k)) {
        visited[e] = true;
        if (owner[e] < 0 || augment(owner[e], events, owner, visited)) {
          owner[e] = k;
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ outputs

  /**
   * The people of one report cell, as {@code user|step times} lines sorted by user: each person's
   * chosen attempt (or, for a trend period, their preferred attempt among those entering in it),
   * filtered by level and breakdown group as the report counts them.
   */
  public static List<String> actors(
      FunnelQuery q,
      List<EventRow> rows,
      Map<String, Map<String, String>> traits,
      Map<Long, Set<String>> cohorts,
      io.tracetics.engine.query.ActorCell cell) {
    ReferenceFunnel reference = new ReferenceFunnel(q, traits, cohorts);
    List<Attempt> attempts = reference.attempts(rows);
    if (cell.period().isPresent()) {
      TrendInterval interval = q.trendInterval().orElseThrow();
      attempts =
          attempts.stream()
              .filter(a -> periodOf(a.start(), interval).equals(cell.period().get()))
              .toList();
    }
    Map<String, Attempt> chosen = chosen(attempts);
    Map<String, String> groups = q.breakdown().isPresent() ? reference.groupOf(chosen) : Map.of();
    List<String> out = new ArrayList<>();
    for (Attempt a : chosen.values()) {
      boolean inCell =
          cell.status() == io.tracetics.engine.query.ActorCell.Status.REACHED
              ? a.level() > cell.step()
              : a.level() == cell.step();
      if (inCell && cell.group().isPresent()) {
        var g = cell.group().get();
        String group = groups.get(a.user());
        inCell =
            g.other()
                ? group.equals("OTHER")
                : group.equals("V:" + (g.value() == null ? "\u0000null" : g.value()));
      }
      if (inCell) {
        out.add(a.user() + "|" + Arrays.toString(a.times()));
      }
    }
    return out;
  }

  private static LocalDate periodOf(long start, TrendInterval interval) {
    LocalDate day = Instant.ofEpochMilli(start).atOffset(ZoneOffset.UTC).toLocalDate();
    return interval == TrendInterval.DAY
        ? day
        : day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  /** Per user, the preferred attempt that was not hit ({@link #preferred}). */
  private static Map<String, Attempt> chosen(List<Attempt> attempts) {
    Map<String, Attempt> chosen = new TreeMap<>();
    for (Attempt a : attempts) {
      if (a.hit() || a.level() == 0) {
        continue;
      }
      Attempt cur = chosen.get(a.user());
      if (cur == null || preferred(a, cur)) {
        chosen.put(a.user(), a);
      }
    }
    return chosen;
  }

  /**
   * Per user, their breakdown group: {@code V:<value>} ({@code V:\u0000null} without one) for the
   * top values, {@code OTHER} for the rest.
   */
  private Map<String, String> groupOf(Map<String, Attempt> chosen) {
    Map<String, Long> counts = new HashMap<>();
    for (Attempt a : chosen.values()) {
      counts.merge(Objects.toString(a.bd(), "\u0000null"), 1L, Long::sum);
    }
    List<Map.Entry<String, Long>> ranked = new ArrayList<>(counts.entrySet());
    ranked.sort(
        (x, y) -> {
          int c = Long.compare(y.getValue(), x.getValue());
          if (c != 0) {
            return c;
          }
          boolean xn = x.getKey().equals("\u0000null");
          boolean yn = y.getKey().equals("\u0000null");
          if (xn || yn) {
            return xn == yn ? 0 : xn ? 1 : -1;
          }
          return x.getKey().compareTo(y.getKey());
        });
    int limit = q.breakdown().get().limit();
    Map<String, String> byValue = new HashMap<>();
    for (int r = 0; r < ranked.size(); r++) {
      byValue.put(ranked.get(r).getKey(), r < limit ? "V:" + ranked.get(r).getKey() : "OTHER");
    }
    Map<String, String> out = new HashMap<>();
    for (Attempt a : chosen.values()) {
      out.put(a.user(), byValue.get(Objects.toString(a.bd(), "\u0000null")));
    }
    return out;
  }

  private Summary summarise(List<Attempt> attempts) {
    Map<String, Attempt> chosen = chosen(attempts);
    Summary summary = new Summary();
    summary.steps = steps(chosen.values(), true);
    if (q.breakdown().isPresent()) {
      Map<String, Long> counts = new HashMap<>();
      Set<String> nullKey = new HashSet<>();
      for (Attempt a : chosen.values()) {
        counts.merge(Objects.toString(a.bd(), "\u0000null"), 1L, Long::sum);
        nullKey.add("\u0000null");
      }
      List<Map.Entry<String, Long>> ranked = new ArrayList<>(counts.entrySet());
      ranked.sort(
          (x, y) -> {
            int c = Long.compare(y.getValue(), x.getValue());
            if (c != 0) {
              return c;
            }
            boolean xn = x.getKey().equals("\u0000null");
            boolean yn = y.getKey().equals("\u0000null");
            if (xn || yn) {
              return xn == yn ? 0 : xn ? 1 : -1;
            }
            return x.getKey().compareTo(y.getKey());
          });
      int limit = q.breakdown().get().limit();
      Map<String, List<Attempt>> groups = new java.util.LinkedHashMap<>();
      for (int r = 0; r < ranked.size(); r++) {
        groups.put(r < limit ? "V:" + ranked.get(r).getKey() : "OTHER", new ArrayList<>());
      }
      Map<String, String> groupOf = new HashMap<>();
      for (int r = 0; r < ranked.size(); r++) {
        groupOf.put(ranked.get(r).getKey(), r < limit ? "V:" + ranked.get(r).getKey() : "OTHER");
      }
      for (Attempt a : chosen.values()) {
        groups.get(groupOf.get(Objects.toString(a.bd(), "\u0000null"))).add(a);
      }
      for (Map.Entry<String, List<Attempt>> g : groups.entrySet()) {
        String label =
            g.getKey().equals("OTHER")
                ? "(other)"
                : g.getKey().equals("V:\u0000null") ? "(not set)" : g.getKey().substring(2);
        summary.breakdowns.put(label, steps(g.getValue(), false));
      }
    }
    q.trendInterval()
        .ifPresent(
            interval -> {
              Map<LocalDate, Set<String>> entered = new TreeMap<>();
              Map<LocalDate, Set<String>> completed = new TreeMap<>();
              for (Attempt a : attempts) {
                if (a.hit()) {
                  continue;
                }
                LocalDate day =
                    Instant.ofEpochMilli(a.start()).atOffset(ZoneOffset.UTC).toLocalDate();
                LocalDate period =
                    interval == TrendInterval.DAY
                        ? day
                        : day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                entered.computeIfAbsent(period, p -> new HashSet<>()).add(a.user());
                if (a.level() == n) {
                  completed.computeIfAbsent(period, p -> new HashSet<>()).add(a.user());
                }
              }
              entered.forEach(
                  (p, users) ->
                      summary.trends.add(
                          p
                              + " entered="
                              + users.size()
                              + " completed="
                              + completed.getOrDefault(p, Set.of()).size()));
            });
    return summary;
  }

  /** Furthest level, then latest start, then earliest step times, then breakdown value. */
  private static boolean preferred(Attempt a, Attempt b) {
    if (a.level() != b.level()) {
      return a.level() > b.level();
    }
    if (a.start() != b.start()) {
      return a.start() > b.start();
    }
    for (int i = 0; i < a.times().length; i++) {
      if (a.times()[i] != b.times()[i]) {
        return a.times()[i] < b.times()[i];
      }
    }
    if ((a.bd() == null) != (b.bd() == null)) {
      return a.bd() != null;
    }
    return a.bd() != null && a.bd().compareTo(b.bd()) < 0;
  }

  /**
   * Users and time to convert per step; with {@code alternatives}, for each step with several
   * alternatives of an ordered or strict funnel, the users per alternative: those with an event at
   * their chain's step-k instant that matches it.
   */
  private List<Summary.Step> steps(java.util.Collection<Attempt> users, boolean alternatives) {
    List<Summary.Step> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      List<Long> alts = new ArrayList<>();
      FunnelStep step = q.steps().get(k);
      if (alternatives && step.hasAlternatives() && q.order() != OrderMode.UNORDERED) {
        for (var m : step.anyOf()) {
          long count = 0;
          for (Attempt a : users) {
            if (a.level() <= k) {
              continue;
            }
            long at = a.times()[k];
            if (eventsByUser.get(a.user()).stream()
                .anyMatch(e -> e.t() == at && matches(e, m.eventName(), m.filters()))) {
              count++;
            }
          }
          alts.add(count);
        }
      }
      List<Double> dts = new ArrayList<>();
      long count = 0;
      for (Attempt a : users) {
        if (a.level() > k) {
          count++;
          if (k > 0) {
            dts.add((a.times()[k] - a.times()[k - 1]) / 1000.0);
          }
        }
      }
      out.add(Summary.Step.of(count, dts, alts));
    }
    return out;
  }
}
