package io.tracetics.engine.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.exec.FunnelHarness;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.FunnelValidator;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.PropertySource;
import io.tracetics.engine.reference.EveryChain;
import io.tracetics.engine.reference.Identities;
import io.tracetics.engine.reference.ReferenceFunnel;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.CohortChange;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import io.tracetics.engine.store.StoreConfig;
import io.tracetics.engine.trace.FunnelTrace.Candidate;
import io.tracetics.engine.trace.TraceAttempt.ChainLink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The trace against the reference evaluator on random cases ({@link TraceCases}), loaded into a
 * real store and read through {@link TraceReader} by a random identifier of each person (an alias
 * when the person has one): the reached step is the person's level, the chain's times are the
 * chosen attempt's, the chain is a valid chain, and every candidate's reason is re-checked here on
 * the raw events, independently of the trace's own code. Under cohorts the reference counts only
 * the persons the cohorts let in, and a person left out must say which rule left it out and list no
 * candidates. {@code -Dtracetics.traceCases=N} runs more.
 */
class TraceRandomTest {
  private static final int CASES = Integer.getInteger("tracetics.traceCases", 700);

  @Test
  void tracesAgreeWithTheReferenceAndEveryReasonHolds() {
    long base = Long.getLong("tracetics.baseSeed", 20261207L);
    Long only = Long.getLong("tracetics.seed");
    FunnelValidator validator = new FunnelValidator();
    List<TraceCases.Case> cases = new ArrayList<>();
    List<EventRow> all = new ArrayList<>();
    List<IdentityLink> links = new ArrayList<>();
    List<CohortChange> cohorts = new ArrayList<>();
    long nextId = 1;
    for (int i = 0; i < (only == null ? CASES : 1); i++) {
      TraceCases.Case c = TraceCases.generate(only == null ? base + i : only, i + 1, nextId);
      if (!validator.validate(c.query()).isEmpty()) {
        continue;
      }
      nextId += c.rows().size();
      cases.add(c);
      all.addAll(c.rows());
      links.addAll(c.links());
      cohorts.addAll(c.cohorts());
    }
    Map<ReasonCode, Integer> seen = new EnumMap<>(ReasonCode.class);
    int persons = 0;
    int[] outside = new int[TracePopulation.Reason.values().length];
    int[] units = new int[1];
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      // Cohorts load first: their members resolve to persons when a trace reads them, so the
      // merges loaded after them apply.
      store.load("cohorts", 1, List.of(), List.of(), cohorts, rejected -> {});
      FunnelHarness.loadShuffled(store, all, links, base);
      TraceReader reader = new TraceReader(store);
      for (TraceCases.Case c : cases) {
        persons += checkCase(reader, c, seen, outside, units);
      }
    }
    assertTrue(cases.size() >= CASES * 9 / 10 || only != null, "too many invalid cases");
    if (only == null) {
      for (ReasonCode code : ReasonCode.values()) {
        assertTrue(seen.getOrDefault(code, 0) > 0, () -> code + " never came up: " + seen);
      }
    }
    assertTrue(persons > cases.size(), "persons traced: " + persons);
    assertTrue(only != null || units[0] > cases.size() / 10, "units traced: " + units[0]);
    if (only == null) {
      for (TracePopulation.Reason reason : TracePopulation.Reason.values()) {
        assertTrue(outside[reason.ordinal()] > 0, () -> reason + " never came up");
      }
    }
  }

  private static int checkCase(
      TraceReader reader,
      TraceCases.Case c,
      Map<ReasonCode, Integer> seen,
      int[] outside,
      int[] units) {
    FunnelQuery q = c.query();
    List<EventRow> resolved = Identities.resolve(c.rows(), c.links());
    Map<String, Map<String, String>> traits = Identities.traits(c.links(), q.appId());
    Map<Long, Set<String>> members = Identities.cohorts(c.links(), c.cohorts(), q.appId());
    Map<String, long[]> want = ReferenceFunnel.chosenTimes(q, resolved, traits, members);
    Set<String> attempts =
        new HashSet<>(ReferenceFunnel.attemptLines(q, resolved, traits, members));
    // Every identifier with events, by its person; for a funnel counting units, every unit value
    // some event carries, asked by itself.
    Map<String, List<String>> idsOf = new TreeMap<>();
    for (int i = 0; i < c.rows().size(); i++) {
      if (q.countsUnits()) {
        String unit = parse(c.rows().get(i).metadataJson()).get(q.countBy().get());
        if (unit != null) {
          idsOf.put(unit, List.of(unit));
        }
        continue;
      }
      String person = resolved.get(i).userIdentifier();
      List<String> ids = idsOf.computeIfAbsent(person, p -> new ArrayList<>());
      if (!ids.contains(c.rows().get(i).userIdentifier())) {
        ids.add(c.rows().get(i).userIdentifier());
      }
    }
    if (q.countsUnits()) {
      assertTrue(
          reader.trace(q, "no such unit", 1).isEmpty(), () -> "an unknown unit, seed " + c.seed());
    }
    Random random = new Random(c.seed());
    for (Map.Entry<String, List<String>> p : idsOf.entrySet()) {
      String person = p.getKey();
      String asked = p.getValue().get(random.nextInt(p.getValue().size()));
      Supplier<String> context =
          () ->
              "seed "
                  + c.seed()
                  + " (rerun: -Dtracetics.seed="
                  + c.seed()
                  + ") person "
                  + person
                  + " asked as "
                  + asked
                  + "\nquery "
                  + q
                  + "\nevents "
                  + c.rows()
                  + "\nlinks "
                  + c.links()
                  + "\ncohorts "
                  + c.cohorts();
      PersonTrace traced =
          reader
              .trace(q, asked, FunnelTracer.MAX_CANDIDATES)
              .orElseThrow(() -> new AssertionError(context.get()));
      assertEquals(person, traced.personId(), context);
      TracePopulation population = traced.trace().population();
      // A unit is always inside: the cohorts leave out its persons' events instead.
      TracePopulation.Reason left = q.countsUnits() ? null : leftOutBy(q, members, person);
      assertEquals(left == null, population.inPopulation(), context);
      if (left != null) {
        outside[left.ordinal()]++;
        assertEquals(left, population.reason().orElseThrow(), context);
        population
            .cohortId()
            .ifPresent(
                id -> {
                  assertTrue(q.cohorts().exclude().contains(id), context);
                  assertTrue(members.getOrDefault(id, Set.of()).contains(person), context);
                });
        assertEquals(
            left == TracePopulation.Reason.IN_EXCLUDED_COHORT,
            population.cohortId().isPresent(),
            context);
        assertTrue(want.get(person) == null, context);
        assertEquals(-1, traced.trace().reachedStep(), context);
        assertTrue(traced.trace().chosen().isEmpty(), context);
        assertTrue(traced.trace().nextStep().orElseThrow().candidates().isEmpty(), context);
        assertEquals(0, traced.eventsRead(), context);
        continue;
      }
      List<Ev> events = new ArrayList<>();
      for (EventRow row : resolved) {
        Map<String, String> props = parse(row.metadataJson());
        boolean mine =
            q.countsUnits()
                ? person.equals(props.get(q.countBy().get()))
                    && leftOutBy(q, members, row.userIdentifier()) == null
                : row.userIdentifier().equals(person);
        if (mine) {
          events.add(
              new Ev(
                  row.id(),
                  row.eventName(),
                  row.eventTimeMillis(),
                  props,
                  traits.getOrDefault(row.userIdentifier(), Map.of())));
        }
      }
      if (q.countsUnits()) {
        units[0]++;
      }
      new Check(q, events, attempts, person, context, seen).run(traced.trace(), want.get(person));
    }
    return idsOf.size();
  }

  /**
   * Why the query's cohorts leave {@code person} out, from the reference's member persons; null
   * when they let it in. Not being in an included cohort is named before being in an excluded one.
   */
  private static TracePopulation.Reason leftOutBy(
      FunnelQuery q, Map<Long, Set<String>> members, String person) {
    if (!q.cohorts().include().isEmpty()
        && q.cohorts().include().stream()
            .noneMatch(id -> members.getOrDefault(id, Set.of()).contains(person))) {
      return TracePopulation.Reason.NOT_IN_INCLUDED_COHORTS;
    }
    if (q.cohorts().exclude().stream()
        .anyMatch(id -> members.getOrDefault(id, Set.of()).contains(person))) {
      return TracePopulation.Reason.IN_EXCLUDED_COHORT;
    }
    return null;
  }

  /**
   * One raw event of the person (or unit), parsed here (not by the trace's reader), with its
   * person's traits.
   */
  record Ev(long id, String name, long t, Map<String, String> props, Map<String, String> traits) {}

  /** The independent checks of one person's trace. */
  private record Check(
      FunnelQuery q,
      List<Ev> events,
      Set<String> attempts,
      String person,
      Supplier<String> context,
      Map<ReasonCode, Integer> seen) {

    void run(FunnelTrace trace, long[] wantTimes) {
      int n = q.steps().size();
      int wantLevel = wantTimes == null ? 0 : wantTimes.length;
      assertEquals(wantLevel - 1, trace.reachedStep(), context);
      if (wantTimes == null) {
        assertTrue(trace.chosen().isEmpty(), context);
      } else {
        TraceAttempt chosen = trace.chosen().orElseThrow();
        assertEquals(wantTimes[0], chosen.startMillis(), context);
        long[] times = chosen.chain().stream().mapToLong(l -> l.event().timeMillis()).toArray();
        if (q.order() != OrderMode.UNORDERED || distinctStepNames()) {
          assertArrayEquals(wantTimes, times, context.get());
        }
        assertValidChain(chosen);
      }
      if (wantLevel == n) {
        assertTrue(trace.nextStep().isEmpty(), context);
        return;
      }
      FunnelTrace.NextStep next = trace.nextStep().orElseThrow();
      FunnelStep step = q.steps().get(next.step());
      assertEquals(step.label(), next.eventName(), context);
      if (q.order() != OrderMode.UNORDERED || wantTimes == null) {
        assertEquals(Math.max(0, wantLevel), next.step(), context);
      } else {
        // Unordered: the lowest step the chain does not fill.
        Set<Integer> filled = new HashSet<>();
        trace.chosen().orElseThrow().chain().forEach(l -> filled.add(l.step()));
        for (int k = 0; k <= next.step(); k++) {
          assertEquals(k < next.step(), filled.contains(k), context);
        }
      }
      Set<Long> listed = new HashSet<>();
      for (Candidate candidate : next.candidates()) {
        assertTrue(listed.add(candidate.event().eventId()), context);
        Ev e = event(candidate.event().eventId());
        assertTrue(step.eventNames().contains(e.name()), context);
        seen.merge(candidate.reason().code(), 1, Integer::sum);
        checkReason(trace, next.step(), e, candidate.reason());
      }
      // Every event of the step's name that the reader reads is listed, up to the maximum.
      long w = q.window().toMillis();
      long named =
          events.stream()
              .filter(e -> step.eventNames().contains(e.name()))
              .filter(e -> q.from().map(f -> e.t() >= f.toEpochMilli() - w).orElse(true))
              .filter(e -> q.to().map(to -> e.t() < to.toEpochMilli() + 2 * w).orElse(true))
              .count();
      assertEquals(Math.min(named, FunnelTracer.MAX_CANDIDATES), next.candidates().size(), context);
    }

    boolean distinctStepNames() {
      List<String> names = q.steps().stream().flatMap(s -> s.eventNames().stream()).toList();
      return names.stream().distinct().count() == names.size();
    }

    void assertValidChain(TraceAttempt a) {
      List<ChainLink> chain = a.chain();
      Set<Long> used = new HashSet<>();
      Set<Integer> steps = new HashSet<>();
      long w = q.window().toMillis();
      for (int i = 0; i < chain.size(); i++) {
        ChainLink link = chain.get(i);
        Ev e = event(link.event().eventId());
        assertTrue(used.add(e.id()), context);
        assertTrue(steps.add(link.step()), context);
        assertTrue(matches(e, step(link.step())), context);
        assertTrue(e.t() >= a.startMillis() && e.t() - a.startMillis() <= w, context);
        assertEquals(hold(event(chain.get(0).event().eventId())), hold(e), context);
        if (q.order() != OrderMode.UNORDERED) {
          assertEquals(i, link.step(), context);
          if (i > 0) {
            long prev = chain.get(i - 1).event().timeMillis();
            assertTrue(prev <= e.t(), context);
            long limit = step(i).within().map(java.time.Duration::toMillis).orElse(w);
            assertTrue(e.t() - prev <= limit, context);
            if (q.order() == OrderMode.STRICT) {
              for (Ev x : events) {
                assertFalse(
                    x.t() > prev && x.t() < e.t() && !matches(x, step(i - 1)),
                    () -> "chain broken by " + x + ": " + context.get());
              }
            }
          }
        }
      }
      assertTrue(inRange(a.startMillis()), context);
      assertFalse(a.discarded(), context);
      for (Exclusion x : q.exclusions()) {
        assertTrue(hitBy(x, a) == null, context);
      }
    }

    void checkReason(FunnelTrace trace, int next, Ev e, TraceReason reason) {
      long w = q.window().toMillis();
      TraceAttempt chosen = trace.chosen().orElse(null);
      if (reason instanceof TraceReason.OutsideWindow r) {
        assertEquals(chosen.startMillis() + w, r.windowEndMillis(), context);
        assertEquals(e.t() - chosen.startMillis() - w, r.excessMillis(), context);
        assertTrue(r.excessMillis() > 0, context);
      } else if (reason instanceof TraceReason.StepTimeLimit r) {
        // Checked after the window: inside it, but past the step's limit from the chain's last
        // step.
        long last = last(chosen);
        assertEquals(next, chosen.level(), context);
        assertEquals(step(next).within().orElseThrow().toMillis(), r.limitMillis(), context);
        assertEquals(last + r.limitMillis(), r.limitEndMillis(), context);
        assertEquals(e.t() - last - r.limitMillis(), r.excessMillis(), context);
        assertTrue(r.excessMillis() > 0, context);
        assertTrue(e.t() - chosen.startMillis() <= w, context);
        assertTrue(matches(e, step(next)), context);
      } else if (reason instanceof TraceReason.FilterMismatch r) {
        assertTrue(
            step(next).anyOf().stream()
                .anyMatch(m -> m.eventName().equals(e.name()) && m.filters().contains(r.filter())),
            context);
        String actual =
            r.filter().source() == PropertySource.USER
                ? e.traits().get(r.filter().property())
                : e.props().get(r.filter().property());
        assertEquals(actual, r.actual(), context);
        assertFalse(holds(r.filter(), actual), context);
      } else if (reason instanceof TraceReason.StrictBreak r) {
        assertEquals(OrderMode.STRICT, q.order(), context);
        Ev b = event(r.breaking().eventId());
        long last = last(chosen);
        assertTrue(b.t() > last && b.t() < e.t(), context);
        assertFalse(matches(b, step(next - 1)), context);
        assertTrue(matches(e, step(next)), context);
      } else if (reason instanceof TraceReason.HoldConstantMismatch r) {
        assertTrue(q.holdConstant().contains(r.property()), context);
        assertEquals(e.props().get(r.property()), r.actual(), context);
        Ev first = event(chosen.chain().get(0).event().eventId());
        assertEquals(first.props().get(r.property()), r.expected(), context);
        assertFalse(java.util.Objects.equals(r.expected(), r.actual()), context);
      } else if (reason instanceof TraceReason.OutsideDateRange r) {
        assertEquals(0, next, context);
        assertFalse(inRange(e.t()), context);
      } else if (reason instanceof TraceReason.BeforePreviousStep r) {
        assertTrue(e.t() < last(chosen) && r.previousStepMillis() == last(chosen), context);
      } else if (reason instanceof TraceReason.BeforeEntry r) {
        assertEquals(OrderMode.UNORDERED, q.order(), context);
        assertTrue(e.t() < chosen.startMillis(), context);
      } else if (reason instanceof TraceReason.UsedByChain r) {
        assertTrue(
            chosen.chain().stream()
                .anyMatch(l -> l.step() == r.step() && l.event().eventId() == e.id()),
            context);
      } else if (reason instanceof TraceReason.ExcludedBy r) {
        TraceAttempt h = r.attempt();
        long[] times = h.chain().stream().mapToLong(l -> l.event().timeMillis()).toArray();
        String line = "|" + h.startMillis() + "|" + h.level() + "|" + Arrays.toString(times);
        assertTrue(
            attempts.stream().anyMatch(l -> l.startsWith(person + "|") && l.endsWith(line)),
            () -> "no such attempt " + line + ": " + context.get());
        assertTrue(h.level() > trace.reachedStep() + 1 || chosen == null, context);
        // The event took the step in that attempt, or (nobody counted) is a twin of its first
        // event: a first-step event of the same hold value at its start instant.
        Ev first = event(h.chain().get(0).event().eventId());
        assertTrue(
            h.chain().stream().anyMatch(l -> l.event().eventId() == e.id())
                || (chosen == null
                    && e.t() == h.startMillis()
                    && matches(e, step(0))
                    && hold(e).equals(hold(first))),
            context);
        Exclusion x = q.exclusions().get(r.exclusion());
        Ev ex = event(r.excluding().eventId());
        assertTrue(matches(ex, x.eventName(), x.filters()), context);
        assertTrue(ex.t() > times[x.fromStep()], context);
        assertTrue(
            times.length > x.toStep() ? ex.t() < times[x.toStep()] : ex.t() <= h.startMillis() + w,
            context);
      } else {
        throw new AssertionError("unknown reason " + reason);
      }
    }

    long last(TraceAttempt a) {
      return a.chain().stream().mapToLong(l -> l.event().timeMillis()).max().getAsLong();
    }

    Ev hitBy(Exclusion x, TraceAttempt a) {
      long[] times = a.chain().stream().mapToLong(l -> l.event().timeMillis()).toArray();
      if (times.length <= x.fromStep()) {
        return null;
      }
      for (Ev e : events) {
        if (matches(e, x.eventName(), x.filters())
            && e.t() > times[x.fromStep()]
            && (times.length > x.toStep()
                ? e.t() < times[x.toStep()]
                : e.t() <= a.startMillis() + q.window().toMillis())) {
          return e;
        }
      }
      return null;
    }

    Ev event(long id) {
      return events.stream()
          .filter(e -> e.id() == id)
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("not the person's event " + id + ": " + context.get()));
    }

    FunnelStep step(int k) {
      return q.steps().get(k);
    }

    List<String> hold(Ev e) {
      List<String> key = new ArrayList<>();
      q.holdConstant().forEach(p -> key.add(e.props().get(p)));
      return key;
    }

    boolean inRange(long t) {
      return q.from().map(f -> t >= f.toEpochMilli()).orElse(true)
          && q.to().map(to -> t < to.toEpochMilli()).orElse(true);
    }

    boolean matches(Ev e, FunnelStep s) {
      return s.anyOf().stream().anyMatch(m -> matches(e, m.eventName(), m.filters()));
    }

    boolean matches(Ev e, String name, List<PropertyFilter> filters) {
      if (!e.name().equals(name)) {
        return false;
      }
      for (PropertyFilter f : filters) {
        String v =
            f.source() == PropertySource.USER
                ? e.traits().get(f.property())
                : e.props().get(f.property());
        if (!holds(f, v)) {
          return false;
        }
      }
      return true;
    }
  }

  static boolean holds(PropertyFilter f, String v) {
    Double number = null;
    if (v != null) {
      try {
        number = Double.valueOf(v);
      } catch (NumberFormatException e) {
        number = null;
      }
    }
    return switch (f.op()) {
      case EQ -> f.value().equals(v);
      case NEQ -> !f.value().equals(v);
      case IN -> v != null && f.values().contains(v);
      case CONTAINS ->
          v != null && v.toLowerCase(Locale.ROOT).contains(f.value().toLowerCase(Locale.ROOT));
      case GT -> number != null && number > f.numericValue();
      case GTE -> number != null && number >= f.numericValue();
      case LT -> number != null && number < f.numericValue();
      case LTE -> number != null && number <= f.numericValue();
      case IS_SET -> v != null;
      case IS_NOT_SET -> v == null;
    };
  }

  /** An event's metadata as property texts (the references' reading of it). */
  static Map<String, String> parse(String json) {
    return EveryChain.props(json);
  }
}
