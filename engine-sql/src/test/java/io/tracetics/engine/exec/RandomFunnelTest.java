package io.tracetics.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.CohortRestriction;
import io.tracetics.engine.query.EventMatch;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FilterOp;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.FunnelValidator;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.PropertySource;
import io.tracetics.engine.query.TestSteps;
import io.tracetics.engine.query.TrendInterval;
import io.tracetics.engine.reference.EveryChain;
import io.tracetics.engine.reference.Identities;
import io.tracetics.engine.reference.ReferenceFunnel;
import io.tracetics.engine.reference.Summary;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.CohortChange;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import io.tracetics.engine.store.StoreConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Thousands of small random event sets (few users, few names, many equal timestamps) with random
 * funnels; the SQL engine must agree exactly with {@link ReferenceFunnel} on users per step,
 * breakdown groups, trends and time-to-convert, and on the people of a random report cell (its
 * actors), person by person. Each case is its own app in one shared store, loaded in a shuffled
 * order. A failure prints the seed: rerun one case with -Dtracetics.seed=<seed>.
 */
class RandomFunnelTest {
  private static final String[] NAMES = {"A", "B", "C", "D", "E"};
  private static final String[] VALUES = {"x", "y", "z", "7", "12"};
  private static final int CASES = Integer.getInteger("tracetics.randomCases", 1500);

  @Test
  void sqlMatchesReference() {
    check(false, Long.getLong("tracetics.baseSeed", 20261124L));
  }

  /**
   * Cases shaped for the planner's fast plan (ordered, steps with different event names, no
   * exclusions or hold-constant; see LatestStartPlan), with more events per user and up to 5 steps.
   */
  @Test
  void fastPlanMatchesReference() {
    int fast = check(true, Long.getLong("tracetics.baseSeed", 20261124L) + 1_000_000L);
    assertTrue(fast >= CASES * 9 / 10, () -> "only " + fast + " cases used the fast plan");
  }

  /** The same cases with a store that has no native aggregate: the SQL plans alone. */
  @Test
  void sqlOnlyStoreMatchesReference() {
    check(true, Long.getLong("tracetics.baseSeed", 20261124L) + 1_000_000L, false);
  }

  /**
   * Cases crowded onto a few instants: several events per instant, step names repeated (often in
   * adjacent steps, with and without filters), mostly strict funnels, some events loaded twice.
   */
  @Test
  void crowdedInstantsMatchReference() {
    check(Shape.CROWDED, Long.getLong("tracetics.baseSeed", 20261124L) + 2_000_000L, true);
  }

  /**
   * Cases where step time limits bite most (the fast plan's events: many per user, up to 5 steps),
   * every one with limits, ordered or strict, most made to take the general plan by an exclusion,
   * hold-constant or a step name repeated in the next step.
   */
  @Test
  void stepTimeLimitsMatchReference() {
    int general = check(Shape.LIMITED, Long.getLong("tracetics.baseSeed", 20261124L) + 3_000_000L);
    int fast = CASES / 3 - general;
    assertTrue(general >= CASES / 6, () -> "only " + general + " cases used the general plan");
    assertTrue(fast > 0, "no case used the fast plan");
  }

  enum Shape {
    MIXED,
    FAST,
    CROWDED,
    LIMITED
  }

  private static int check(Shape shape, long base) {
    int fast = check(shape, base, true);
    return CASES / 3 - fast;
  }

  private static int check(boolean fastShape, long base) {
    return check(fastShape, base, true);
  }

  private static int check(boolean fastShape, long base, boolean nativeFunnel) {
    return check(fastShape ? Shape.FAST : Shape.MIXED, base, nativeFunnel);
  }

  /**
   * Runs the cases (through {@link FunnelHarness#run}, which also checks the native plan against
   * the SQL plan when the store has the aggregate); returns how many of them the fast plan
   * computed.
   */
  private static int check(Shape shape, long base, boolean nativeFunnel) {
    Long only = Long.getLong("tracetics.seed");
    List<Case> cases = new ArrayList<>();
    List<EventRow> all = new ArrayList<>();
    List<IdentityLink> links = new ArrayList<>();
    List<CohortChange> cohorts = new ArrayList<>();
    long nextId = 1;
    int fast = 0;
    int limited = 0;
    int count = shape == Shape.LIMITED ? CASES / 3 : CASES;
    for (int i = 0; i < (only == null ? count : 1); i++) {
      long seed = only == null ? base + i : only;
      Case c =
          withCountBy(
              withLimits(
                  withCohorts(
                      withLinks(
                          switch (shape) {
                            case CROWDED -> crowded(seed, i + 1, nextId);
                            case LIMITED -> limited(seed, i + 1, nextId);
                            default -> generate(seed, i + 1, nextId, shape == Shape.FAST);
                          }))));
      if (FunnelPlanner.usesFastPlan(c.query)) {
        fast++;
      }
      if (c.query.steps().stream().anyMatch(step -> step.within().isPresent())) {
        limited++;
      }
      nextId += c.rows.size();
      cases.add(c);
      all.addAll(c.rows);
      all.addAll(c.loadedTwice);
      links.addAll(c.links);
      cohorts.addAll(c.cohorts);
    }
    FunnelValidator validator = new FunnelValidator();
    int checked = 0;
    int counted = 0;
    try (AnalyticsStore store =
        AnalyticsStore.open(StoreConfig.inMemory().withNativeFunnel(nativeFunnel))) {
      // Cohorts load first: their members resolve to persons when a funnel runs, so the merges
      // loaded after them apply.
      store.load("cohorts", 1, List.of(), List.of(), cohorts, rejected -> {});
      FunnelHarness.loadShuffled(store, all, links, base);
      for (Case c : cases) {
        assertTrue(
            validator.validate(c.query).isEmpty(),
            () -> "seed " + c.seed + " made an invalid query");
        List<EventRow> resolved = Identities.resolve(c.rows, c.links);
        Map<String, Map<String, String>> traits = Identities.traits(c.links, c.query.appId());
        Map<Long, Set<String>> members = Identities.cohorts(c.links, c.cohorts, c.query.appId());
        assertEquals(
            EveryChain.attemptLines(c.query, resolved, traits, members),
            ReferenceFunnel.attemptLines(c.query, resolved, traits, members),
            () -> "the two references disagree, seed " + c.seed + "\nquery " + c.query);
        Summary want = ReferenceFunnel.evaluate(c.query, resolved, traits, members);
        if (c.query.countsUnits()) {
          assertEquals(
              c.query.countBy().get()
                  + " unassigned="
                  + EveryChain.unassigned(c.query, resolved, traits, members),
              want.countBy,
              () -> "the two references count unassigned events differently, seed " + c.seed);
        }
        FunnelResult result = FunnelHarness.run(store, c.query);
        Summary got = Summary.of(result);
        if (result.steps().stream()
            .anyMatch(st -> st.alternatives().stream().anyMatch(a -> a.users() > 0))) {
          counted++;
        }
        assertEquals(
            want.toString(),
            got.toString(),
            () ->
                "seed "
                    + c.seed
                    + " (rerun: -Dtracetics.seed="
                    + c.seed
                    + ")\nquery "
                    + c.query
                    + "\nevents "
                    + c.rows
                    + "\nlinks "
                    + c.links
                    + "\ncohorts "
                    + c.cohorts);
        // Actors: every crowded case, every other case of the rest; the SQL-only store's cases
        // are the fast ones again, whose SQL plans FunnelHarness.actors runs beside the native.
        if (nativeFunnel && (shape == Shape.CROWDED || c.seed % 2 == 0)) {
          checkActors(store, c, resolved, traits, members, result);
        }
        checked++;
      }
    }
    assertEquals(cases.size(), checked);
    // The generators give steps alternatives often enough that their counts are exercised.
    int alternatives = counted;
    assertTrue(
        cases.size() < 50 || alternatives >= cases.size() / 20,
        () -> "only " + alternatives + " cases counted users per alternative");
    int withLimits = limited;
    assertTrue(
        only != null || withLimits >= count / 5,
        () -> "only " + withLimits + " cases had step time limits");
    return fast;
  }

  /**
   * One random cell of the case's report (a step reached or dropped at, sometimes in a breakdown
   * group or a trend period, sometimes one the report does not have), read in random-sized pages:
   * the people must be exactly the reference's, person by person with their chosen step times, and
   * as many as the report counts in that cell.
   */
  private static void checkActors(
      AnalyticsStore store,
      Case c,
      List<EventRow> resolved,
      Map<String, Map<String, String>> traits,
      Map<Long, Set<String>> members,
      FunnelResult result) {
    Random r = new Random(c.seed * 17 + 3);
    int n = c.query.steps().size();
    int step = r.nextInt(n);
    ActorCell cell =
        step > 0 && r.nextBoolean() ? ActorCell.dropped(step) : ActorCell.reached(step);
    List<StepResult> counted = result.steps();
    Long expected = null;
    if (c.query.breakdown().isPresent() && r.nextBoolean()) {
      List<BreakdownGroup> groups = result.breakdowns();
      if (groups.isEmpty() || r.nextInt(8) == 0) {
        cell = cell.in(ActorCell.Group.of("no-such-value"));
        expected = 0L;
      } else {
        BreakdownGroup g = groups.get(r.nextInt(groups.size()));
        cell =
            cell.in(
                g.other()
                    ? ActorCell.Group.remainder()
                    : g.value() == null ? ActorCell.Group.notSet() : ActorCell.Group.of(g.value()));
        counted = g.steps();
      }
    } else if (c.query.trendInterval().isPresent() && r.nextBoolean()) {
      List<TrendPoint> points = result.trends();
      counted = null;
      if (points.isEmpty() || r.nextInt(8) == 0) {
        cell = cell.during(LocalDate.parse("2026-01-05").plusDays(r.nextInt(14)));
      } else {
        TrendPoint p = points.get(r.nextInt(points.size()));
        cell = cell.during(p.period());
        // A trend point counts who entered (step 0 reached) and who completed (the last step
        // reached); with two steps, the rest dropped at the last step.
        boolean reached = cell.status() == ActorCell.Status.REACHED;
        if (reached && step == n - 1) {
          expected = p.completed();
        } else if (reached && step == 0) {
          expected = p.entered();
        } else if (n == 2) {
          expected = p.entered() - p.completed();
        }
      }
    }
    if (expected == null && counted != null) {
      StepResult s = counted.get(step);
      expected = cell.status() == ActorCell.Status.REACHED ? s.users() : s.dropOff();
    }
    List<String> want =
        ReferenceFunnel.actors(c.query, resolved, traits, members, cell).stream().sorted().toList();
    FunnelHarness.ActorLines got =
        FunnelHarness.actors(store, c.query, cell, r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 100);
    final ActorCell asked = cell;
    // The list is in key order (FunnelHarness checks it), person key or unit value; compare both
    // as sorted lines.
    List<String> gotSorted = got.lines().stream().sorted().toList();
    assertEquals(
        want,
        gotSorted,
        () ->
            "actors differ from the reference, seed "
                + c.seed
                + " cell "
                + asked
                + "\nquery "
                + c.query);
    assertEquals(want.size(), got.total(), () -> "total, seed " + c.seed + " cell " + asked);
    if (expected != null) {
      long e = expected;
      assertEquals(
          e,
          got.total(),
          () -> "actors do not match the report, seed " + c.seed + " cell " + asked);
    }
  }

  /**
   * A case: its query, its events, the ones of them loaded a second time, its identity links (in
   * their order) and its cohort changes (in their order).
   */
  record Case(
      long seed,
      FunnelQuery query,
      List<EventRow> rows,
      List<EventRow> loadedTwice,
      List<IdentityLink> links,
      List<CohortChange> cohorts) {
    Case(long seed, FunnelQuery query, List<EventRow> rows) {
      this(seed, query, rows, List.of(), List.of(), List.of());
    }

    Case(long seed, FunnelQuery query, List<EventRow> rows, List<EventRow> loadedTwice) {
      this(seed, query, rows, loadedTwice, List.of(), List.of());
    }
  }

  /**
   * A third of the cases count units ({@code count_by}) instead of persons: the values of {@code p}
   * (most events have one of five values, spread over the persons: several persons share a value, a
   * person has several), of the sparser {@code k}, or of {@code a}, added here: an account per
   * person (persons share accounts) that most of its events carry, some events carrying another, a
   * JSON null or none; values include a number and the empty string. The rest of the case (filters,
   * hold-constant, breakdown, trend, exclusions, links, cohorts) stays. Its own random stream; an
   * event loaded twice gets the same metadata both times.
   */
  static Case withCountBy(Case c) {
    Random r = new Random(c.seed * 47 + 19);
    if (r.nextInt(3) != 0) {
      return c;
    }
    int pick = r.nextInt(5);
    String property = pick < 2 ? "p" : pick == 2 ? "k" : "a";
    FunnelQuery q = c.query.toBuilder().countBy(property).build();
    if (!property.equals("a")) {
      return new Case(c.seed, q, c.rows, c.loadedTwice, c.links, c.cohorts);
    }
    String[] accounts = {"\"acme\"", "\"beta\"", "7", "\"\"", "\"z\u00e9\""};
    java.util.Map<String, String> home = new java.util.HashMap<>();
    java.util.Map<Long, String> metadata = new java.util.HashMap<>();
    for (EventRow row : c.rows) {
      String account =
          home.computeIfAbsent(row.userIdentifier(), u -> accounts[r.nextInt(accounts.length)]);
      int what = r.nextInt(20);
      String value =
          what < 12
              ? account
              : what < 15 ? accounts[r.nextInt(accounts.length)] : what < 17 ? "null" : null;
      String md = row.metadataJson();
      if (value != null) {
        String body = md == null ? "{}" : md;
        md = "{\"a\":" + value + (body.equals("{}") ? "}" : "," + body.substring(1));
      }
      metadata.put(row.id(), md);
    }
    java.util.function.Function<EventRow, EventRow> rewrite =
        row ->
            new EventRow(
                row.id(),
                row.appId(),
                row.userIdentifier(),
                row.eventName(),
                row.eventTimeMillis(),
                row.receivedAtMillis(),
                metadata.get(row.id()));
    return new Case(
        c.seed,
        q,
        c.rows.stream().map(rewrite).toList(),
        c.loadedTwice.stream().map(rewrite).toList(),
        c.links,
        c.cohorts);
  }

  /**
   * A fast-plan case ({@link #generate} with the fast shape) made ordered or strict, with time
   * limits, and (each a third of the time) an exclusion, hold-constant and a step name repeated in
   * the next step: the general plan's searched chains on the events where limits bite most. Its own
   * random stream after the events.
   */
  static Case limited(long seed, long appId, long firstId) {
    Case c = generate(seed, appId, firstId, true);
    Random r = new Random(seed * 59 + 13);
    FunnelQuery.Builder q = c.query.toBuilder();
    q.order(r.nextBoolean() ? OrderMode.ORDERED : OrderMode.STRICT);
    int n = c.query.steps().size();
    if (r.nextInt(3) == 0) {
      List<FunnelStep> steps = new ArrayList<>(c.query.steps());
      int k = 1 + r.nextInt(n - 1);
      steps.set(k, new FunnelStep(steps.get(k - 1).anyOf().get(0).eventName(), List.of()));
      q.steps(steps);
    }
    if (r.nextInt(3) == 0) {
      int i = r.nextInt(n - 1);
      q.exclude(
          new Exclusion(
              NAMES[r.nextInt(NAMES.length)], List.of(), i, i + 1 + r.nextInt(n - 1 - i)));
    }
    if (r.nextInt(3) == 0) {
      q.holdConstant("p");
    }
    FunnelQuery limited = StepLimits.always(q.build(), c.rows, r);
    return new Case(seed, limited, c.rows);
  }

  /**
   * About half the ordered and strict cases get time limits on some steps after the first ({@link
   * StepLimits}: the gaps of the case's events, a millisecond either side, whole seconds). Its own
   * random stream.
   */
  static Case withLimits(Case c) {
    FunnelQuery q = StepLimits.give(c.query, c.rows, new Random(c.seed * 43 + 11));
    return new Case(c.seed, q, c.rows, c.loadedTwice, c.links, c.cohorts);
  }

  /**
   * One case in six gets 1-3 cohorts of its users (and of an id without events or an id that
   * becomes an alias), one of them sometimes deleted again, and a query restricted to some of them
   * (include, exclude or both, a deleted cohort included). Its own random stream.
   */
  static Case withCohorts(Case c) {
    Random r = new Random(c.seed * 17 + 3);
    if (r.nextInt(6) != 0) {
      return c;
    }
    List<String> ids = new ArrayList<>(List.of("u0", "u1", "u2", "u3", "n0"));
    List<CohortChange> changes = new ArrayList<>();
    List<Long> cohortIds = new ArrayList<>();
    for (int k = 1 + r.nextInt(3); k > 0; k--) {
      long cohortId = c.query.appId() * 10 + k;
      List<String> members = ids.stream().filter(id -> r.nextInt(3) > 0).toList();
      changes.add(CohortChange.created(c.query.appId(), cohortId, members));
      cohortIds.add(cohortId);
    }
    if (r.nextInt(4) == 0) {
      changes.add(CohortChange.deleted(c.query.appId(), cohortIds.get(0)));
    }
    Set<Long> include = new java.util.TreeSet<>();
    Set<Long> exclude = new java.util.TreeSet<>();
    for (long cohortId : cohortIds) {
      switch (r.nextInt(3)) {
        case 0 -> include.add(cohortId);
        case 1 -> exclude.add(cohortId);
        default -> {}
      }
    }
    if (include.isEmpty() && exclude.isEmpty()) {
      include.add(cohortIds.get(0));
    }
    FunnelQuery q = c.query.toBuilder().cohorts(new CohortRestriction(include, exclude)).build();
    return new Case(c.seed, q, c.rows, c.loadedTwice, c.links, changes);
  }

  /**
   * Half the cases get 1-5 identity links between their users (who all have events) and two ids
   * without events: merges of users whose events share instants, several ids per person, links to
   * an alias (resolved to its person), a second link of an id (the first wins), a person with
   * aliases linked onward (refused), links back to an id's own person, self links, and links of ids
   * whose events come later. Its own random stream: the events stay those of the seed.
   */
  static Case withLinks(Case c) {
    Random r = new Random(c.seed * 31 + 7);
    if (r.nextBoolean()) {
      return c;
    }
    List<String> ids = new ArrayList<>();
    for (EventRow row : c.rows) {
      if (!ids.contains(row.userIdentifier())) {
        ids.add(row.userIdentifier());
      }
    }
    ids.add("n0");
    ids.add("n1");
    List<IdentityLink> links = new ArrayList<>();
    for (int i = 1 + r.nextInt(6); i > 0; i--) {
      String anonymous = r.nextInt(4) == 0 ? null : ids.get(r.nextInt(ids.size()));
      String user =
          anonymous != null && r.nextInt(8) == 0 ? anonymous : ids.get(r.nextInt(ids.size()));
      String traits = anonymous == null || r.nextInt(3) == 0 ? traits(r) : null;
      links.add(new IdentityLink(c.query.appId(), anonymous, user, traits));
    }
    return new Case(c.seed, c.query, c.rows, c.loadedTwice, links, c.cohorts);
  }

  /**
   * A traits patch over the same keys and values as the events' metadata: set, change, remove (a
   * null) or leave each of p and k.
   */
  private static String traits(Random r) {
    StringBuilder t = new StringBuilder("{");
    for (String key : List.of("p", "k")) {
      int what = r.nextInt(4);
      if (what == 3) {
        continue;
      }
      t.append(t.length() > 1 ? "," : "").append('"').append(key).append("\":");
      t.append(what == 2 ? "null" : value(r));
    }
    return t.append("}").toString();
  }

  /**
   * Near-miss journeys crowded onto few instants: each user walks the funnel's steps, taking the
   * next step at the same instant or a second later, with twins (two events of a step at one
   * instant), repeats of a step at the next instant and events of other names at the instants the
   * walk uses, plus a few events anywhere. Step names repeat (often in adjacent steps, with and
   * without filters, so classes of one name overlap); strict half the time; some events are loaded
   * twice.
   */
  static Case crowded(long seed, long appId, long firstId) {
    Random r = new Random(seed);
    int names = 2 + r.nextInt(3);
    int mode = r.nextInt(4);
    OrderMode order =
        mode < 2 ? OrderMode.STRICT : mode == 2 ? OrderMode.ORDERED : OrderMode.UNORDERED;
    FunnelQuery.Builder q = FunnelQuery.builder(appId).order(order);
    int n = 2 + r.nextInt(4);
    List<String> stepNames = new ArrayList<>();
    List<List<String>> stepAlternatives = new ArrayList<>();
    List<FunnelStep> steps = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      String name =
          k > 0 && r.nextBoolean() ? stepNames.get(k - 1) : NAMES[r.nextInt(Math.min(names, 3))];
      stepNames.add(name);
      List<EventMatch> alternatives = new ArrayList<>();
      alternatives.add(new EventMatch(name, r.nextInt(4) == 0 ? List.of(filter(r)) : List.of()));
      if (r.nextInt(4) == 0) {
        // A second way to take the step: often another step's name, sometimes the same name with
        // other filters.
        alternatives.add(
            new EventMatch(
                NAMES[r.nextInt(Math.min(names, 3))],
                r.nextInt(3) == 0 ? List.of(filter(r)) : List.of()));
      }
      FunnelStep step = TestSteps.alternatives(alternatives);
      steps.add(step);
      stepAlternatives.add(List.copyOf(step.eventNames()));
    }
    q.steps(TestSteps.withinVariantLimit(steps));
    long base = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    List<EventRow> rows = new ArrayList<>();
    long[] id = {firstId};
    int users = 1 + r.nextInt(3);
    for (int u = 0; u < users; u++) {
      String user = "u" + u;
      List<Long> used = new ArrayList<>();
      long t = base + r.nextInt(3) * 1000L;
      for (int k = 0; k < n && r.nextInt(6) > 0; k++) {
        t += r.nextBoolean() ? 0 : 1000L;
        used.add(t);
        List<String> ways = stepAlternatives.get(k);
        rows.add(crowdedEvent(r, id, appId, user, ways.get(r.nextInt(ways.size())), t));
        if (r.nextInt(3) == 0) {
          rows.add(crowdedEvent(r, id, appId, user, ways.get(r.nextInt(ways.size())), t));
        }
        if (r.nextInt(4) == 0) {
          rows.add(crowdedEvent(r, id, appId, user, ways.get(r.nextInt(ways.size())), t + 1000L));
        }
        if (r.nextInt(3) == 0) {
          rows.add(crowdedEvent(r, id, appId, user, NAMES[r.nextInt(names)], t + 1000L));
        }
      }
      for (int extra = r.nextInt(4); extra > 0; extra--) {
        long at =
            used.isEmpty() || r.nextBoolean()
                ? base + r.nextInt(8) * 1000L
                : used.get(r.nextInt(used.size()));
        rows.add(crowdedEvent(r, id, appId, user, NAMES[r.nextInt(names)], at));
      }
    }
    List<EventRow> twice = rows.stream().filter(row -> r.nextInt(8) == 0).toList();
    q.window(Duration.ofSeconds(1 + r.nextInt(8)));
    if (order != OrderMode.UNORDERED && r.nextInt(4) == 0) {
      int i = r.nextInt(n - 1);
      q.exclude(new Exclusion(NAMES[r.nextInt(names)], List.of(), i, i + 1 + r.nextInt(n - 1 - i)));
    }
    if (r.nextInt(6) == 0) {
      q.holdConstant("p");
    }
    if (r.nextInt(5) == 0) {
      q.breakdown(new Breakdown("p", 1 + r.nextInt(2)));
    }
    if (r.nextInt(5) == 0) {
      q.trend(TrendInterval.DAY);
    }
    return new Case(seed, q.build(), rows, twice);
  }

  private static EventRow crowdedEvent(
      Random r, long[] id, long appId, String user, String name, long t) {
    String md = r.nextInt(3) == 0 ? null : "{\"p\":" + value(r) + "}";
    return new EventRow(id[0]++, appId, user, name, t, t, md);
  }

  static Case generate(long seed, long appId, long firstId) {
    return generate(seed, appId, firstId, false);
  }

  static Case generate(long seed, long appId, long firstId, boolean fastShape) {
    Random r = new Random(seed);
    boolean days = r.nextInt(5) == 0;
    long unit = days ? 6 * 3600_000L : 1000L;
    int names = fastShape ? 2 + r.nextInt(4) : 2 + r.nextInt(3);
    List<EventRow> rows = new ArrayList<>();
    int users = 1 + r.nextInt(4);
    long id = firstId;
    long base = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    for (int u = 0; u < users; u++) {
      int count = r.nextInt(fastShape ? 25 : 11);
      for (int e = 0; e < count; e++) {
        long t = base + r.nextInt(12) * unit + (r.nextInt(6) == 0 ? r.nextInt(3) - 1 : 0);
        String name = NAMES[r.nextInt(names)];
        StringBuilder md = new StringBuilder("{");
        if (r.nextInt(3) > 0) {
          md.append("\"p\":").append(value(r));
        }
        if (r.nextInt(3) == 0) {
          md.append(md.length() > 1 ? "," : "").append("\"k\":").append(value(r));
        }
        md.append("}");
        rows.add(
            new EventRow(
                id++,
                appId,
                "u" + u,
                name,
                t,
                t + r.nextInt(5000),
                md.length() == 2 && r.nextBoolean() ? null : md.toString()));
      }
    }
    OrderMode mode = fastShape ? OrderMode.ORDERED : OrderMode.values()[r.nextInt(3)];
    int n = fastShape ? 2 + r.nextInt(names - 1) : 2 + r.nextInt(3);
    List<String> distinct = new ArrayList<>(List.of(NAMES).subList(0, names));
    java.util.Collections.shuffle(distinct, r);
    FunnelQuery.Builder q = FunnelQuery.builder(appId).order(mode);
    List<List<EventMatch>> alternatives = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      String name = fastShape ? distinct.get(k) : NAMES[r.nextInt(names)];
      List<PropertyFilter> filters = new ArrayList<>();
      if (r.nextInt(3) == 0) {
        filters.add(filter(r));
      }
      alternatives.add(new ArrayList<>(List.of(new EventMatch(name, filters))));
    }
    if (fastShape) {
      // The names no step uses become other steps' alternatives (names stay disjoint by step).
      for (String unused : distinct.subList(n, names)) {
        if (r.nextBoolean()) {
          alternatives
              .get(r.nextInt(n))
              .add(new EventMatch(unused, r.nextInt(3) == 0 ? List.of(filter(r)) : List.of()));
        }
      }
    } else {
      for (int k = 0; k < n; k++) {
        for (int more = r.nextInt(5) == 0 ? 1 + r.nextInt(2) : 0; more > 0; more--) {
          alternatives
              .get(k)
              .add(
                  new EventMatch(
                      NAMES[r.nextInt(names)], r.nextInt(3) == 0 ? List.of(filter(r)) : List.of()));
        }
      }
    }
    List<FunnelStep> steps = new ArrayList<>();
    alternatives.forEach(a -> steps.add(TestSteps.alternatives(a)));
    q.steps(TestSteps.withinVariantLimit(steps));
    long[] windows = {0, 1, 2, 3, 5, 8, 20};
    long wUnits = windows[r.nextInt(windows.length)];
    long windowMs = Math.max(1000, wUnits * unit + (r.nextInt(4) == 0 ? r.nextInt(3) - 1 : 0));
    q.window(Duration.ofMillis(windowMs));
    if (r.nextInt(4) == 0) {
      long from = base + r.nextInt(5) * unit;
      q.range(Instant.ofEpochMilli(from), Instant.ofEpochMilli(from + (1 + r.nextInt(6)) * unit));
    }
    if (!fastShape && mode != OrderMode.UNORDERED && r.nextInt(3) == 0) {
      int i = r.nextInt(n - 1);
      int j = i + 1 + r.nextInt(n - 1 - i);
      List<PropertyFilter> filters = r.nextInt(3) == 0 ? List.of(filter(r)) : List.of();
      q.exclude(new Exclusion(NAMES[r.nextInt(names)], filters, i, j));
    }
    if (!fastShape && r.nextInt(5) == 0) {
      q.holdConstant("p");
    }
    if (r.nextInt(4) == 0) {
      q.breakdown(
          new Breakdown(
              r.nextBoolean() ? "p" : "k",
              1 + r.nextInt(3),
              r.nextInt(3) == 0 ? PropertySource.USER : PropertySource.EVENT));
    }
    if (r.nextInt(4) == 0) {
      q.trend(r.nextBoolean() ? TrendInterval.DAY : TrendInterval.WEEK);
    }
    if (r.nextInt(8) == 0) {
      q.globalFilter(filter(r));
    }
    return new Case(seed, q.build(), rows);
  }

  private static String value(Random r) {
    String v = VALUES[r.nextInt(VALUES.length)];
    return v.matches("\\d+") && r.nextBoolean() ? v : "\"" + v + "\"";
  }

  /** A filter on the event's metadata or, one time in four, on its person's traits. */
  private static PropertyFilter filter(Random r) {
    PropertyFilter f = eventFilter(r);
    return r.nextInt(4) == 0 ? f.onUser() : f;
  }

  private static PropertyFilter eventFilter(Random r) {
    FilterOp op = FilterOp.values()[r.nextInt(FilterOp.values().length)];
    String prop = r.nextInt(4) == 0 ? "k" : "p";
    return switch (op.arity()) {
      case NONE -> new PropertyFilter(prop, op, List.of());
      case ONE ->
          new PropertyFilter(
              prop,
              op,
              List.of(
                  op.numeric() ? String.valueOf(r.nextInt(15)) : VALUES[r.nextInt(VALUES.length)]));
      case MANY ->
          new PropertyFilter(
              prop,
              op,
              List.of(VALUES[r.nextInt(VALUES.length)], VALUES[r.nextInt(VALUES.length)]));
    };
  }
}
