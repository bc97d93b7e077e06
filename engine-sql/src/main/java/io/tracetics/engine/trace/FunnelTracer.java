package io.tracetics.engine.trace;

import io.tracetics.engine.query.EventMatch;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.PropertySource;
import io.tracetics.engine.trace.FunnelTrace.Candidate;
import io.tracetics.engine.trace.TraceAttempt.ChainLink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The funnel of one person, step by step: every attempt the engine counts (engine-sql/README.md,
 * "Semantics"), the one it chooses, and for the first step not reached the events that could have
 * taken it with the reason each did not. A pure function of the funnel, the person's events and its
 * traits; {@link TraceReader} reads those.
 *
 * <p>Attempts: ordered and strict mode start one at every instant of a hold partition with a
 * first-step event inside the entry range and keep its longest chain, earliest step by step; a
 * chain is a sequence of instants, each filling a run of consecutive steps with distinct events (a
 * bipartite matching at that instant). Ordered mode takes each next step at the earliest instant
 * able to fill it (never worse without time limits); strict mode, and ordered mode when a later
 * step has a time limit, try every instant up to the next event that breaks the chain (strict), the
 * window's end and the step's time limit. Unordered mode starts at every instant with an event of
 * any step and matches steps to distinct events within the window. Exclusions discard attempts; the
 * chosen attempt is the furthest, then latest start, then earliest step times, then breakdown
 * value. A person the funnel's cohorts leave out ({@link TracePopulation}) has no attempt at all:
 * the plans never see its events.
 */
public final class FunnelTracer {
  /** Candidates listed when the caller does not say. */
  public static final int DEFAULT_CANDIDATES = 5;

  /** The most candidates one trace lists. */
  public static final int MAX_CANDIDATES = 20;

  /** Units of work (events visited, search states) one trace may spend before it gives up. */
  static final long WORK_LIMIT = 20_000_000L;

  /** The most search states one start may keep (each a map entry): bounds a trace's memory. */
  static final int MAX_STATES = 1_000_000;

  private static final int STAY = -1;
  private static final int NONE = -2;

  private final FunnelQuery q;
  private final int n;
  private final long w;
  private final boolean strict;
  private final List<TraceEvent> ev;

  /** The events' times, in their order (time, then id). */
  private final long[] evTimes;

  /** The person's traits; null for a unit's trace, whose events carry their persons' own. */
  private final Map<String, String> traits;

  private final boolean[][] stepOf;
  private final List<List<String>> holdOf;

  /** Per step: the times of the person's events that are not that step (strict breaks). */
  private final long[][] breakers;

  /** Per step k (0..n): whether a step from k on has a time limit. */
  private final boolean[] limitedFrom;

  private final long workLimit;
  private long work;

  private FunnelTracer(
      FunnelQuery q, List<TraceEvent> events, Map<String, String> traits, long workLimit) {
    this.q = q;
    this.n = q.steps().size();
    this.w = q.window().toMillis();
    this.strict = q.order() == OrderMode.STRICT;
    this.traits = traits == null ? null : Map.copyOf(traits);
    this.workLimit = workLimit;
    List<TraceEvent> sorted = new ArrayList<>(events);
    sorted.sort(
        Comparator.comparingLong(TraceEvent::timeMillis).thenComparing(TraceEvent::eventId));
    this.ev = List.copyOf(sorted);
    this.evTimes = ev.stream().mapToLong(TraceEvent::timeMillis).toArray();
    this.stepOf = new boolean[ev.size()][n];
    this.holdOf = new ArrayList<>(ev.size());
    for (int e = 0; e < ev.size(); e++) {
      for (int k = 0; k < n; k++) {
        stepOf[e][k] = matches(ev.get(e), q.steps().get(k));
      }
      List<String> key = new ArrayList<>();
      for (String p : q.holdConstant()) {
        key.add(ev.get(e).property(p));
      }
      holdOf.add(key);
    }
    this.limitedFrom = new boolean[n + 1];
    for (int k = n - 1; k >= 0; k--) {
      limitedFrom[k] = limitedFrom[k + 1] || q.steps().get(k).within().isPresent();
    }
    this.breakers = new long[n][];
    for (int k = 0; k < n; k++) {
      final int step = k;
      breakers[k] =
          java.util.stream.IntStream.range(0, ev.size())
              .filter(e -> !stepOf[e][step])
              .mapToLong(e -> ev.get(e).timeMillis())
              .toArray();
    }
  }

  /**
   * The trace of one person.
   *
   * @param query a valid funnel (global filters already in its steps)
   * @param events the person's events (all its identifiers'): at least those of the funnel's event
   *     names (all names in strict mode) within the times the funnel can use
   * @param traits the person's traits the funnel's filters read, as texts
   * @param memberOf the cohorts of the funnel's restriction ({@link FunnelQuery#cohorts()}) the
   *     person belongs to; ignored when the funnel names no cohort
   * @param maxCandidates how many candidates to list, 1..{@link #MAX_CANDIDATES}
   * @throws TraceTooLargeException when the person's events need more work than a trace may spend
   */
  public static FunnelTrace trace(
      FunnelQuery query,
      List<TraceEvent> events,
      Map<String, String> traits,
      Set<Long> memberOf,
      int maxCandidates) {
    return trace(query, events, traits, memberOf, maxCandidates, WORK_LIMIT);
  }

  static FunnelTrace trace(
      FunnelQuery query,
      List<TraceEvent> events,
      Map<String, String> traits,
      Set<Long> memberOf,
      int maxCandidates,
      long workLimit) {
    Objects.requireNonNull(query, "query");
    if (maxCandidates < 1 || maxCandidates > MAX_CANDIDATES) {
      throw new IllegalArgumentException(
          "maxCandidates must be 1.." + MAX_CANDIDATES + ", not " + maxCandidates);
    }
    TracePopulation population = TracePopulation.of(query.cohorts(), memberOf);
    if (!population.inPopulation()) {
      return FunnelTrace.outside(query.steps().get(0).label(), population);
    }
    return new FunnelTracer(query, events, traits, workLimit).run(maxCandidates);
  }

  /**
   * The trace of one unit of a funnel that counts units ({@link FunnelQuery#countBy}): the same
   * search over the events that carry the unit's value, whoever sent them. A filter or breakdown on
   * traits reads each event's own person's ({@link TraceEvent#traits}). The cohorts apply to each
   * event's person before: the caller passes only the events of persons in the population, so the
   * unit is always inside it.
   *
   * @param query a valid funnel that counts units
   * @param events the unit's events, at least those of the funnel's event names (all names in
   *     strict mode) within the times the funnel can use, of persons the cohorts let in
   * @param maxCandidates how many candidates to list, 1..{@link #MAX_CANDIDATES}
   * @throws TraceTooLargeException when the events need more work than a trace may spend
   */
  public static FunnelTrace traceUnit(
      FunnelQuery query, List<TraceEvent> events, int maxCandidates) {
    return traceUnit(query, events, maxCandidates, WORK_LIMIT);
  }

  static FunnelTrace traceUnit(
      FunnelQuery query, List<TraceEvent> events, int maxCandidates, long workLimit) {
    Objects.requireNonNull(query, "query");
    if (!query.countsUnits()) {
      throw new IllegalArgumentException("the funnel counts persons: trace a person");
    }
    if (maxCandidates < 1 || maxCandidates > MAX_CANDIDATES) {
      throw new IllegalArgumentException(
          "maxCandidates must be 1.." + MAX_CANDIDATES + ", not " + maxCandidates);
    }
    return new FunnelTracer(query, events, null, workLimit).run(maxCandidates);
  }

  /** The traits a filter on {@code e} reads: the person's, or, for a unit, its event's person's. */
  private Map<String, String> traitsOf(TraceEvent e) {
    return traits != null ? traits : e.traits();
  }

  // ------------------------------------------------------------------ attempts

  /** An attempt with what choosing among attempts needs. */
  private record Att(
      int partition,
      List<String> hold,
      long start,
      long[] times,
      TraceAttempt attempt,
      String breakdownValue) {
    int level() {
      return times.length;
    }
  }

  /** The events of one hold-constant value, by instant. */
  private final class Partition {
    final int order;
    final List<String> key;
    final long[] times;
    final int[][] at;
    final int[][] instantsWith;
    final int[][] eventsOf;
    final int[][] reach;

    Partition(int order, List<String> key, List<Integer> events) {
      this.order = order;
      this.key = key;
      List<Long> instants = new ArrayList<>();
      List<List<Integer>> groups = new ArrayList<>();
      for (int e : events) {
        long t = ev.get(e).timeMillis();
        if (instants.isEmpty() || instants.get(instants.size() - 1) != t) {
          instants.add(t);
          groups.add(new ArrayList<>());
        }
        groups.get(groups.size() - 1).add(e);
      }
      times = instants.stream().mapToLong(Long::longValue).toArray();
      at =
          groups.stream()
              .map(g -> g.stream().mapToInt(Integer::intValue).toArray())
              .toArray(int[][]::new);
      instantsWith = new int[n][];
      eventsOf = new int[n][];
      for (int k = 0; k < n; k++) {
        final int step = k;
        instantsWith[k] =
            java.util.stream.IntStream.range(0, times.length)
                .filter(i -> Arrays.stream(at[i]).anyMatch(e -> stepOf[e][step]))
                .toArray();
        eventsOf[k] =
            events.stream().mapToInt(Integer::intValue).filter(e -> stepOf[e][step]).toArray();
      }
      reach = new int[times.length][];
    }

    /** The end of the longest run of steps from {@code a} that instant {@code i} can fill. */
    int reach(int a, int i) {
      if (reach[i] == null) {
        reach[i] = new int[n];
        Arrays.fill(reach[i], -1);
      }
      if (reach[i][a] < 0) {
        int[] owner = new int[at[i].length];
        Arrays.fill(owner, -1);
        int c = a;
        while (c < n && augment(c, at[i], owner, new boolean[at[i].length])) {
          c++;
        }
        reach[i][a] = c;
      }
      return reach[i][a];
    }

    /** The events of instant {@code i} that fill steps a..c-1 (one matching, by event order). */
    int[] assign(int a, int c, int i) {
      int[] owner = new int[at[i].length];
      Arrays.fill(owner, -1);
      for (int k = a; k < c; k++) {
        if (!augment(k, at[i], owner, new boolean[at[i].length])) {
          throw new IllegalStateException("no matching for steps " + a + ".." + c);
        }
      }
      int[] out = new int[c - a];
      for (int x = 0; x < owner.length; x++) {
        if (owner[x] >= 0) {
          out[owner[x] - a] = at[i][x];
        }
      }
      return out;
    }
  }

  /** Kuhn's augmenting path for step {@code k} over {@code events} ({@code owner}: their steps). */
  private boolean augment(int k, int[] events, int[] owner, boolean[] seen) {
    spend(events.length);
    for (int x = 0; x < events.length; x++) {
      if (!seen[x] && stepOf[events[x]][k]) {
        seen[x] = true;
        if (owner[x] < 0 || augment(owner[x], events, owner, seen)) {
          owner[x] = k;
          return true;
        }
      }
    }
    return false;
  }

  private void spend(long units) {
    work += units;
    if (work > workLimit) {
      throw new TraceTooLargeException(
          "the person's events in the funnel's time bounds are too many to trace; narrow the date"
              + " range");
    }
  }

  private List<Partition> partitions() {
    Map<List<String>, List<Integer>> byKey = new LinkedHashMap<>();
    for (int e = 0; e < ev.size(); e++) {
      byKey.computeIfAbsent(holdOf.get(e), k -> new ArrayList<>()).add(e);
    }
    List<Partition> out = new ArrayList<>();
    byKey.forEach((key, events) -> out.add(new Partition(out.size(), key, events)));
    return out;
  }

  private boolean inRange(long t) {
    return q.from().map(f -> t >= f.toEpochMilli()).orElse(true)
        && q.to().map(to -> t < to.toEpochMilli()).orElse(true);
  }

  private List<Att> attempts(List<Partition> partitions) {
    List<Att> out = new ArrayList<>();
    for (Partition p : partitions) {
      for (int i = 0; i < p.times.length; i++) {
        if (!inRange(p.times[i])) {
          continue;
        }
        if (q.order() == OrderMode.UNORDERED) {
          if (anyStepAt(p, i)) {
            out.add(unordered(p, i));
          }
        } else if (p.reach(0, i) >= 1) {
          out.add(ordered(p, i));
        }
      }
    }
    return out;
  }

  private boolean anyStepAt(Partition p, int i) {
    for (int e : p.at[i]) {
      for (int k = 0; k < n; k++) {
        if (stepOf[e][k]) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ ordered and strict

  /** The search from one start: the best number of further steps from each state, memoized. */
  private final class Search {
    final Partition p;
    final long windowEnd;

    /** Per state: the best number of further steps (high half) and the decision (low half). */
    final Map<Long, Long> memo = new HashMap<>();

    Search(Partition p, long start) {
      this.p = p;
      this.windowEnd = saturatedAdd(start, w);
    }

    long key(int i, int a, int c) {
      return ((long) i * (n + 1) + a) * (n + 1) + c;
    }

    /**
     * The most steps a chain can add after filling steps a..c-1 at instant i. Ties go to the
     * earliest next time: filling step c at i, else the earliest later instant.
     */
    int best(int i, int a, int c) {
      long key = key(i, a, c);
      Long known = memo.get(key);
      if (known != null) {
        return (int) (known >> 32);
      }
      spend(1);
      if (memo.size() >= MAX_STATES) {
        throw new TraceTooLargeException(
            "the person's events give a strict funnel too many chains to search; narrow the date"
                + " range");
      }
      int len = 0;
      int dec = NONE;
      if (c < n) {
        if (p.reach(a, i) >= c + 1) {
          len = 1 + best(i, a, c + 1);
          dec = STAY;
        }
        long bound = Math.min(windowEnd, saturatedAdd(p.times[i], limit(c)));
        if (strict) {
          bound = Math.min(bound, nextBreak(p.times[i], c - 1));
        }
        int[] cand = p.instantsWith[c];
        for (int x = firstAfter(cand, i); x < cand.length && len < n - c; x++) {
          int j = cand[x];
          if (p.times[j] > bound) {
            break;
          }
          spend(1);
          int l = 1 + best(j, c, c + 1);
          if (l > len) {
            len = l;
            dec = j;
          }
          if (!strict && !limitedFrom[c + 1]) {
            // Ordered: the earliest instant able to fill step c is never worse, unless a later
            // step's time limit counts from it.
            break;
          }
        }
      }
      memo.put(key, ((long) len << 32) | (dec & 0xffffffffL));
      return len;
    }

    int decision(int i, int a, int c) {
      return (int) (long) memo.get(key(i, a, c));
    }
  }

  private static int firstAfter(int[] sorted, int i) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= i) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Step k's time limit since the previous step, in milliseconds (none: the largest long). */
  private long limit(int k) {
    return q.steps().get(k).within().map(java.time.Duration::toMillis).orElse(Long.MAX_VALUE);
  }

  /** The first time after {@code t} of an event that is not step {@code k} (strict: a break). */
  private long nextBreak(long t, int k) {
    int i = firstAfter(breakers[k], t);
    return i < breakers[k].length ? breakers[k][i] : Long.MAX_VALUE;
  }

  /** The index of the first of {@code sorted} greater than {@code t}. */
  private static int firstAfter(long[] sorted, long t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private Att ordered(Partition p, int i0) {
    long start = p.times[i0];
    Search s = new Search(p, start);
    s.best(i0, 0, 1);
    List<ChainLink> chain = new ArrayList<>();
    int i = i0;
    int a = 0;
    int c = 1;
    while (true) {
      int dec = s.decision(i, a, c);
      if (dec == STAY) {
        c++;
        continue;
      }
      int[] filled = p.assign(a, c, i);
      for (int k = a; k < c; k++) {
        chain.add(new ChainLink(k, ev.get(filled[k - a])));
      }
      if (dec == NONE) {
        break;
      }
      i = dec;
      a = c;
      c = c + 1;
    }
    long[] times = chain.stream().mapToLong(l -> l.event().timeMillis()).toArray();
    int hitBy = -1;
    TraceEvent excluding = null;
    for (int x = 0; x < q.exclusions().size() && hitBy < 0; x++) {
      excluding = excluding(q.exclusions().get(x), start, times);
      if (excluding != null) {
        hitBy = x;
      }
    }
    List<TraceEvent> startEvents = new ArrayList<>();
    for (int e : p.at[i0]) {
      if (stepOf[e][0]) {
        startEvents.add(ev.get(e));
      }
    }
    return new Att(
        p.order,
        p.key,
        start,
        times,
        new TraceAttempt(start, chain, hitBy, excluding),
        breakdownValue(startEvents));
  }

  /**
   * The earliest event of {@code x} strictly after the attempt's step {@code fromStep} and strictly
   * before its step {@code toStep} (no later than the window's end when it did not get there).
   */
  private TraceEvent excluding(Exclusion x, long start, long[] times) {
    if (times.length <= x.fromStep()) {
      return null;
    }
    long after = times[x.fromStep()];
    boolean reached = times.length > x.toStep();
    for (int i = firstAfter(evTimes, after); i < ev.size(); i++) {
      TraceEvent e = ev.get(i);
      long t = e.timeMillis();
      if (reached ? t >= times[x.toStep()] : t > saturatedAdd(start, w)) {
        break;
      }
      if (e.eventName().equals(x.eventName())
          && TraceFilters.firstFailing(x.filters(), e, traitsOf(e)) == null) {
        return e;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ unordered

  private Att unordered(Partition p, int i0) {
    long start = p.times[i0];
    long end = saturatedAdd(start, w);
    // A maximum matching needs at most n events of each step: the earliest n in the window.
    List<List<Integer>> options = new ArrayList<>();
    List<Long> firsts = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      List<Integer> mine = new ArrayList<>();
      int[] all = p.eventsOf[k];
      for (int x = firstAtOrAfter(all, start); x < all.length && mine.size() < n; x++) {
        if (ev.get(all[x]).timeMillis() > end) {
          break;
        }
        mine.add(all[x]);
      }
      spend(mine.size() + 1);
      options.add(mine);
      if (!mine.isEmpty()) {
        firsts.add(ev.get(mine.get(0)).timeMillis());
      }
    }
    Map<Integer, Integer> owner = new HashMap<>();
    for (int k = 0; k < n; k++) {
      augmentUnordered(k, options, owner, new java.util.HashSet<>());
    }
    List<ChainLink> chain = new ArrayList<>();
    owner.forEach((e, k) -> chain.add(new ChainLink(k, ev.get(e))));
    chain.sort(
        Comparator.comparingLong((ChainLink l) -> l.event().timeMillis())
            .thenComparingInt(ChainLink::step));
    firsts.sort(null);
    long[] times = firsts.subList(0, chain.size()).stream().mapToLong(Long::longValue).toArray();
    List<TraceEvent> startEvents = new ArrayList<>();
    for (int e : p.at[i0]) {
      for (int k = 0; k < n; k++) {
        if (stepOf[e][k]) {
          startEvents.add(ev.get(e));
          break;
        }
      }
    }
    return new Att(
        p.order,
        p.key,
        start,
        times,
        new TraceAttempt(start, chain, -1, null),
        breakdownValue(startEvents));
  }

  private boolean augmentUnordered(
      int k,
      List<List<Integer>> options,
      Map<Integer, Integer> owner,
      java.util.Set<Integer> seen) {
    for (int e : options.get(k)) {
      spend(1);
      if (seen.add(e)) {
        Integer other = owner.get(e);
        if (other == null || augmentUnordered(other, options, owner, seen)) {
          owner.put(e, k);
          return true;
        }
      }
    }
    return false;
  }

  private int firstAtOrAfter(int[] events, long t) {
    int lo = 0;
    int hi = events.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ev.get(events[mid]).timeMillis() < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // ------------------------------------------------------------------ choosing

  private String breakdownValue(List<TraceEvent> startEvents) {
    if (q.breakdown().isEmpty()) {
      return null;
    }
    String property = q.breakdown().get().property();
    boolean trait = q.breakdown().get().source() == PropertySource.USER;
    // The smallest set value of the start events (of a person's: its one trait value, if set).
    String best = null;
    for (TraceEvent e : startEvents) {
      String v = trait ? traitsOf(e).get(property) : e.property(property);
      if (v != null && (best == null || v.compareTo(best) < 0)) {
        best = v;
      }
    }
    return best;
  }

  /**
   * Furthest, then latest start, then earliest step times, then breakdown value (set, smallest).
   */
  private static int compare(Att a, Att b) {
    if (a.level() != b.level()) {
      return a.level() > b.level() ? -1 : 1;
    }
    if (a.start() != b.start()) {
      return a.start() > b.start() ? -1 : 1;
    }
    for (int i = 0; i < a.times().length; i++) {
      if (a.times()[i] != b.times()[i]) {
        return a.times()[i] < b.times()[i] ? -1 : 1;
      }
    }
    if ((a.breakdownValue() == null) != (b.breakdownValue() == null)) {
      return a.breakdownValue() != null ? -1 : 1;
    }
    if (a.breakdownValue() != null && !a.breakdownValue().equals(b.breakdownValue())) {
      return a.breakdownValue().compareTo(b.breakdownValue());
    }
    return Integer.compare(a.partition(), b.partition());
  }

  // ------------------------------------------------------------------ the trace

  private FunnelTrace run(int maxCandidates) {
    List<Partition> partitions = partitions();
    List<Att> all = attempts(partitions);
    Att chosen =
        all.stream().filter(a -> !a.attempt().discarded()).min(FunnelTracer::compare).orElse(null);
    int level = chosen == null ? 0 : chosen.level();
    Optional<TraceAttempt> attempt = Optional.ofNullable(chosen).map(Att::attempt);
    if (level == n) {
      return new FunnelTrace(n - 1, attempt, Optional.empty(), TracePopulation.IN);
    }
    int next = nextStep(chosen);
    long anchor =
        chosen != null
            ? chosen.attempt().chain().stream()
                .mapToLong(l -> l.event().timeMillis())
                .max()
                .getAsLong()
            : q.from().or(q::to).map(java.time.Instant::toEpochMilli).orElse(Long.MAX_VALUE);
    // The nearest events named like the next step (any of its alternatives); only those get their
    // reason worked out.
    Set<String> names = q.steps().get(next).eventNames();
    String name = q.steps().get(next).label();
    List<Integer> nearest =
        java.util.stream.IntStream.range(0, ev.size())
            .filter(e -> names.contains(ev.get(e).eventName()))
            .boxed()
            .sorted(
                Comparator.comparingLong((Integer e) -> distance(ev.get(e).timeMillis(), anchor))
                    .thenComparingLong(e -> ev.get(e).timeMillis())
                    .thenComparingLong(e -> ev.get(e).eventId()))
            .limit(maxCandidates)
            .toList();
    List<Candidate> candidates =
        chosen == null ? notEntered(partitions, all, nearest) : stopped(chosen, next, all, nearest);
    return new FunnelTrace(
        level - 1,
        attempt,
        Optional.of(new FunnelTrace.NextStep(next, name, candidates)),
        TracePopulation.IN);
  }

  private static long distance(long t, long anchor) {
    long d = t - anchor;
    return d == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(d);
  }

  private int nextStep(Att chosen) {
    if (chosen == null) {
      return 0;
    }
    if (q.order() != OrderMode.UNORDERED) {
      return chosen.level();
    }
    boolean[] filled = new boolean[n];
    chosen.attempt().chain().forEach(l -> filled[l.step()] = true);
    int k = 0;
    while (filled[k]) {
      k++;
    }
    return k;
  }

  /** Nobody counted: why each first-step event did not start an attempt that stayed. */
  private List<Candidate> notEntered(
      List<Partition> partitions, List<Att> all, List<Integer> events) {
    FunnelStep first = q.steps().get(0);
    Map<String, Att> byStart = new HashMap<>();
    for (Att a : all) {
      byStart.put(a.partition() + "|" + a.start(), a);
    }
    Map<List<String>, Integer> partitionOf = new HashMap<>();
    partitions.forEach(p -> partitionOf.put(p.key, p.order));
    List<Candidate> out = new ArrayList<>();
    for (int e : events) {
      TraceEvent event = ev.get(e);
      PropertyFilter failing = firstFailing(first, event);
      if (failing != null) {
        out.add(
            new Candidate(
                event,
                new TraceReason.FilterMismatch(
                    failing, TraceFilters.value(failing, event, traitsOf(event)))));
      } else if (!inRange(event.timeMillis())) {
        out.add(new Candidate(event, new TraceReason.OutsideDateRange(q.from(), q.to())));
      } else {
        Att a = byStart.get(partitionOf.get(holdOf.get(e)) + "|" + event.timeMillis());
        if (a == null || !a.attempt().discarded()) {
          throw unexplained(event);
        }
        out.add(new Candidate(event, excludedBy(a)));
      }
    }
    return out;
  }

  private TraceReason.ExcludedBy excludedBy(Att a) {
    return new TraceReason.ExcludedBy(
        a.attempt().excludedBy(), a.attempt().excluding(), a.attempt());
  }

  /** Why each event of the next step's name did not extend the chosen chain. */
  private List<Candidate> stopped(Att chosen, int next, List<Att> all, List<Integer> events) {
    FunnelStep step = q.steps().get(next);
    TraceAttempt c = chosen.attempt();
    int level = chosen.level();
    long end = saturatedAdd(chosen.start(), w);
    Map<Long, TraceReason> excluded = new HashMap<>();
    if (q.order() != OrderMode.UNORDERED) {
      // Attempts that got further but were discarded: the event that took the step there.
      all.stream()
          .filter(a -> a.attempt().discarded() && a.level() > level)
          .sorted(FunnelTracer::compare)
          .forEach(
              a ->
                  excluded.putIfAbsent(
                      a.attempt().chain().get(level).event().eventId(), excludedBy(a)));
    }
    Map<Long, Integer> used = new HashMap<>();
    c.chain().forEach(l -> used.put(l.event().eventId(), l.step()));
    long last = c.chain().get(c.chain().size() - 1).event().timeMillis();
    List<Candidate> out = new ArrayList<>();
    for (int e : events) {
      TraceEvent event = ev.get(e);
      if (excluded.containsKey(event.eventId())) {
        out.add(new Candidate(event, excluded.get(event.eventId())));
        continue;
      }
      TraceReason reason = null;
      PropertyFilter failing = firstFailing(step, event);
      if (used.containsKey(event.eventId())) {
        reason = new TraceReason.UsedByChain(used.get(event.eventId()));
      } else if (failing != null) {
        reason =
            new TraceReason.FilterMismatch(
                failing, TraceFilters.value(failing, event, traitsOf(event)));
      } else if (!holdOf.get(e).equals(chosen.hold())) {
        int x = 0;
        while (Objects.equals(holdOf.get(e).get(x), chosen.hold().get(x))) {
          x++;
        }
        reason =
            new TraceReason.HoldConstantMismatch(
                q.holdConstant().get(x), chosen.hold().get(x), holdOf.get(e).get(x));
      } else if (q.order() == OrderMode.UNORDERED && event.timeMillis() < chosen.start()) {
        reason = new TraceReason.BeforeEntry(chosen.start());
      } else if (q.order() != OrderMode.UNORDERED && event.timeMillis() < last) {
        reason = new TraceReason.BeforePreviousStep(last);
      } else if (event.timeMillis() > end) {
        reason = new TraceReason.OutsideWindow(end, event.timeMillis() - end);
      } else if (event.timeMillis() - last > limit(next)) {
        long limitEnd = last + limit(next);
        reason =
            new TraceReason.StepTimeLimit(limit(next), limitEnd, event.timeMillis() - limitEnd);
      } else if (strict) {
        TraceEvent breaking = breaking(last, event.timeMillis(), level - 1);
        if (breaking != null) {
          reason = new TraceReason.StrictBreak(breaking);
        }
      }
      if (reason == null) {
        throw unexplained(event);
      }
      out.add(new Candidate(event, reason));
    }
    return out;
  }

  /** The earliest event strictly between {@code from} and {@code to} that is not step {@code k}. */
  private TraceEvent breaking(long from, long to, int k) {
    for (int e = firstAfter(evTimes, from); e < ev.size() && evTimes[e] < to; e++) {
      if (!stepOf[e][k]) {
        return ev.get(e);
      }
    }
    return null;
  }

  private static IllegalStateException unexplained(TraceEvent e) {
    // The chosen chain is the longest its start allows, so every event has a reason; reaching
    // here is a bug in the trace, not a property of the data.
    return new IllegalStateException("no reason found for event " + e.eventId());
  }

  private boolean matches(TraceEvent e, FunnelStep s) {
    for (EventMatch m : s.anyOf()) {
      if (e.eventName().equals(m.eventName())
          && TraceFilters.firstFailing(m.filters(), e, traitsOf(e)) == null) {
        return true;
      }
    }
    return false;
  }

  /**
   * For an event named like one of the step's alternatives: null when it fills the step, else the
   * first filter it fails of the first alternative with its name.
   */
  private PropertyFilter firstFailing(FunnelStep s, TraceEvent e) {
    PropertyFilter first = null;
    for (EventMatch m : s.anyOf()) {
      if (!e.eventName().equals(m.eventName())) {
        continue;
      }
      PropertyFilter failing = TraceFilters.firstFailing(m.filters(), e, traitsOf(e));
      if (failing == null) {
        return null;
      }
      if (first == null) {
        first = failing;
      }
    }
    return first;
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
