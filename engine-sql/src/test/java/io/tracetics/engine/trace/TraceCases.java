package io.tracetics.engine.trace;

import io.tracetics.engine.exec.StepLimits;
import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.CohortRestriction;
import io.tracetics.engine.query.EventMatch;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FilterOp;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.TestSteps;
import io.tracetics.engine.store.CohortChange;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Small random funnels and journeys with the corners a trace must explain: a few instants shared by
 * many events (several per instant, step twins), step names repeated in adjacent steps with and
 * without filters, every order mode, exclusions, hold-constant, entry ranges, filters on traits,
 * global filters, windows that end exactly on an event (and a millisecond either side), step time
 * limits on about half the ordered and strict cases (equal to gaps between events, a millisecond
 * either side, whole seconds), half the cases with identity links (aliases, traits patches, refused
 * links), about one in five with cohorts restricting the funnel, and about one in four counting
 * units (count_by) instead of persons.
 */
final class TraceCases {
  static final String[] NAMES = {"A", "B", "C", "D"};
  static final String[] VALUES = {"x", "y", "7", "12"};
  static final long BASE = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

  /**
   * A case: the funnel, its events (by the ids they were sent under), its links in order and its
   * cohort changes in order.
   */
  record Case(
      long seed,
      FunnelQuery query,
      List<EventRow> rows,
      List<IdentityLink> links,
      List<CohortChange> cohorts) {}

  private TraceCases() {}

  static Case generate(long seed, long appId, long firstId) {
    Random r = new Random(seed);
    int names = 2 + r.nextInt(3);
    OrderMode mode = OrderMode.values()[r.nextInt(3)];
    FunnelQuery.Builder q = FunnelQuery.builder(appId).order(mode);
    int n = 2 + r.nextInt(3);
    String previous = null;
    // Alternatives from a stream of their own, so the rest of the case stays that of the seed.
    Random alt = new Random(seed * 31 + 7);
    List<FunnelStep> steps = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      String name = previous != null && r.nextInt(3) == 0 ? previous : NAMES[r.nextInt(names)];
      List<PropertyFilter> filters = r.nextInt(3) == 0 ? List.of(filter(r)) : List.of();
      List<EventMatch> alternatives = new ArrayList<>(List.of(new EventMatch(name, filters)));
      if (alt.nextInt(4) == 0) {
        alternatives.add(
            new EventMatch(
                NAMES[alt.nextInt(names)], alt.nextInt(3) == 0 ? List.of(filter(alt)) : List.of()));
      }
      steps.add(TestSteps.alternatives(alternatives));
      previous = name;
    }
    q.steps(TestSteps.withinVariantLimit(steps));
    long unit = 1000L;
    long windowMs = Math.max(1000L, (1 + r.nextInt(6)) * unit + (r.nextInt(4) == 0 ? 1 : 0));
    q.window(Duration.ofMillis(windowMs));
    int instants = 3 + r.nextInt(8);
    List<EventRow> rows = new ArrayList<>();
    long id = firstId;
    int users = 1 + r.nextInt(3);
    for (int u = 0; u < users; u++) {
      for (int e = r.nextInt(12); e > 0; e--) {
        long t = BASE + r.nextInt(instants) * unit;
        if (r.nextInt(8) == 0) {
          t += r.nextBoolean() ? 1 : -1;
        }
        rows.add(new EventRow(id++, appId, "u" + u, NAMES[r.nextInt(names)], t, t, metadata(r)));
      }
    }
    if (r.nextInt(3) == 0) {
      long from = BASE + r.nextInt(4) * unit;
      q.range(Instant.ofEpochMilli(from), Instant.ofEpochMilli(from + (1 + r.nextInt(4)) * unit));
    }
    if (mode != OrderMode.UNORDERED && r.nextInt(3) == 0) {
      int i = r.nextInt(n - 1);
      int j = i + 1 + r.nextInt(n - 1 - i);
      List<PropertyFilter> filters = r.nextInt(3) == 0 ? List.of(filter(r)) : List.of();
      q.exclude(new Exclusion(NAMES[r.nextInt(names)], filters, i, j));
    }
    if (r.nextInt(4) == 0) {
      q.holdConstant("p");
    }
    if (r.nextInt(5) == 0) {
      q.breakdown(Breakdown.of(r.nextBoolean() ? "p" : "k"));
    }
    if (r.nextInt(8) == 0) {
      q.globalFilter(filter(r));
    }
    List<IdentityLink> links = links(r, appId, users);
    List<CohortChange> cohorts = new ArrayList<>();
    // About half the ordered and strict cases get step time limits, and then a journey that needs
    // a later step event than the earliest (their own random stream).
    Random limits = new Random(seed * 7 + 3);
    FunnelQuery plain = q.build();
    FunnelQuery limited = StepLimits.give(plain, rows, limits);
    if (limited != plain) {
      rows.addAll(laterStepJourney(limits, limited, id));
    }
    FunnelQuery query = withCountBy(seed, withCohorts(seed, limited, users, cohorts));
    return new Case(seed, query, rows, links, cohorts);
  }

  /**
   * About one case in four counts units: the values of {@code p} (most events carry one of four,
   * shared by persons, several per person) or of the sparser {@code k}. Its own random stream.
   */
  private static FunnelQuery withCountBy(long seed, FunnelQuery q) {
    Random r = new Random(seed * 29 + 3);
    if (r.nextInt(4) != 0) {
      return q;
    }
    return q.toBuilder().countBy(r.nextInt(3) == 0 ? "k" : "p").build();
  }

  /**
   * A user of its own ({@code j0}) walks the funnel's steps from a random instant, each step at the
   * instant of the previous one, except that a step (after the first) whose next step has a time
   * limit comes twice, 1 ms and 2 ms after the previous step, and that next step comes exactly its
   * limit after the later twin (one time in three a millisecond more): the earlier twin is too far
   * from it, the later one is not. Events get random metadata, so filters may still refuse them.
   */
  private static List<EventRow> laterStepJourney(Random r, FunnelQuery q, long firstId) {
    List<EventRow> out = new ArrayList<>();
    long id = firstId;
    String user = "j0";
    long t = BASE + r.nextInt(4) * 1000L;
    boolean afterTwins = false;
    for (int k = 0; k < q.steps().size(); k++) {
      String name = q.steps().get(k).anyOf().get(0).eventName();
      if (afterTwins) {
        t += q.steps().get(k).within().orElseThrow().toMillis() + (r.nextInt(3) == 0 ? 1 : 0);
      }
      afterTwins = k > 0 && k + 1 < q.steps().size() && q.steps().get(k + 1).within().isPresent();
      if (afterTwins) {
        out.add(new EventRow(id++, q.appId(), user, name, t + 1, t + 1, metadata(r)));
        t += 2;
      }
      out.add(new EventRow(id++, q.appId(), user, name, t, t, metadata(r)));
    }
    return out;
  }

  /**
   * About one case in five: 1-3 cohorts of the case's ids (any of which may be an alias once the
   * links apply, and an id without events), the first sometimes deleted again, and the funnel
   * restricted to some of them (include, exclude or both; a deleted cohort included). Its own
   * random stream, so the rest of the case stays that of the seed; the changes go to {@code out}.
   */
  private static FunnelQuery withCohorts(
      long seed, FunnelQuery q, int users, List<CohortChange> out) {
    Random r = new Random(seed * 13 + 5);
    if (r.nextInt(5) != 0) {
      return q;
    }
    List<String> ids = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      ids.add("u" + u);
    }
    ids.add("n0");
    List<Long> cohortIds = new ArrayList<>();
    for (int k = 1 + r.nextInt(3); k > 0; k--) {
      long cohortId = q.appId() * 10 + k;
      out.add(
          CohortChange.created(
              q.appId(), cohortId, ids.stream().filter(id -> r.nextInt(2) == 0).toList()));
      cohortIds.add(cohortId);
    }
    if (r.nextInt(4) == 0) {
      out.add(CohortChange.deleted(q.appId(), cohortIds.get(0)));
    }
    Set<Long> include = new TreeSet<>();
    Set<Long> exclude = new TreeSet<>();
    for (long cohortId : cohortIds) {
      switch (r.nextInt(3)) {
        case 0 -> include.add(cohortId);
        case 1 -> exclude.add(cohortId);
        default -> {}
      }
    }
    if (include.isEmpty() && exclude.isEmpty()) {
      (r.nextBoolean() ? include : exclude).add(cohortIds.get(0));
    }
    return q.toBuilder().cohorts(new CohortRestriction(include, exclude)).build();
  }

  /**
   * Half the cases: 1-4 links among the users and an id without events, some without an anonymous
   * id (traits only), some patching traits (set, change, remove).
   */
  private static List<IdentityLink> links(Random r, long appId, int users) {
    List<IdentityLink> links = new ArrayList<>();
    if (r.nextBoolean()) {
      return links;
    }
    List<String> ids = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      ids.add("u" + u);
    }
    ids.add("n0");
    for (int i = 1 + r.nextInt(4); i > 0; i--) {
      String anonymous = r.nextInt(4) == 0 ? null : ids.get(r.nextInt(ids.size()));
      String user = ids.get(r.nextInt(ids.size()));
      String traits = anonymous == null || r.nextInt(2) == 0 ? traits(r) : null;
      links.add(new IdentityLink(appId, anonymous, user, traits));
    }
    return links;
  }

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

  private static String metadata(Random r) {
    if (r.nextInt(6) == 0) {
      return null;
    }
    StringBuilder md = new StringBuilder("{");
    if (r.nextInt(3) > 0) {
      md.append("\"p\":").append(value(r));
    }
    if (r.nextInt(3) == 0) {
      md.append(md.length() > 1 ? "," : "").append("\"k\":").append(value(r));
    }
    return md.append("}").toString();
  }

  private static String value(Random r) {
    String v = VALUES[r.nextInt(VALUES.length)];
    return v.matches("\\d+") && r.nextBoolean() ? v : "\"" + v + "\"";
  }

  /** A filter on the event's metadata or, one time in four, on its person's traits. */
  static PropertyFilter filter(Random r) {
    FilterOp op = FilterOp.values()[r.nextInt(FilterOp.values().length)];
    String prop = r.nextInt(4) == 0 ? "k" : "p";
    PropertyFilter f =
        switch (op.arity()) {
          case NONE -> new PropertyFilter(prop, op, List.of());
          case ONE ->
              new PropertyFilter(
                  prop,
                  op,
                  List.of(
                      op.numeric()
                          ? String.valueOf(r.nextInt(15))
                          : VALUES[r.nextInt(VALUES.length)]));
          case MANY ->
              new PropertyFilter(
                  prop,
                  op,
                  List.of(VALUES[r.nextInt(VALUES.length)], VALUES[r.nextInt(VALUES.length)]));
        };
    return r.nextInt(4) == 0 ? f.onUser() : f;
  }
}
