package io.tracetics.benchmarks;

import io.tracetics.engine.exec.FunnelExecutor;
import io.tracetics.engine.exec.FunnelResult;
import io.tracetics.engine.plan.FunnelPlan;
import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.EventMatch;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.FunnelValidator;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Funnel compute benchmark: synthetic events (1M users, 20 event names with skewed popularity,
 * skewed user activity, 90 days) loaded through {@link AnalyticsStore#load}; a 3-step ordered
 * funnel (7-day window) against the floor (scan + GROUP BY user over the same rows) and the
 * self-join formulation; a variant where one user owns 1% of the events; a 10-step funnel. DuckDB
 * runs with 2 threads and a 2 GB memory limit. It drives the engine in this JVM (no service). See
 * benchmarks/README.md.
 *
 * <p>System properties: {@code bench.funnel.sizes} (comma list of row counts, default 10000000),
 * {@code bench.funnel.runs} (timed runs per case, default 5), {@code bench.funnel.budgetSeconds}
 * (time budget of the self-join, default 60), {@code bench.funnel.workDir} (where the DuckDB files
 * go, default benchmarks/target), {@code bench.funnel.reuse} (true: keep a database file of the
 * same size already in the work directory instead of loading it again), and the shared {@code
 * bench.section} / {@code bench.resultsDir} of {@link Report}.
 */
public final class FunnelBenchmark {
  private static final Duration WINDOW = Duration.ofDays(7);

  /** The app whose events name an account (SyntheticEvents.Shape.ACCOUNTS, loaded fourth). */
  private static final long ACCOUNTS_APP = 4;

  /** The benchmark's options, from system properties. */
  record Options(
      long[] sizes, int runs, long budgetSeconds, Path workDir, boolean reuse, boolean loadOnly) {
    static Options fromSystemProperties() {
      return new Options(
          Arrays.stream(System.getProperty("bench.funnel.sizes", "10000000").split(","))
              .map(String::strip)
              .mapToLong(Long::parseLong)
              .toArray(),
          Integer.getInteger("bench.funnel.runs", 5),
          Long.getLong("bench.funnel.budgetSeconds", 60),
          Path.of(System.getProperty("bench.funnel.workDir", "benchmarks/target")),
          Boolean.getBoolean("bench.funnel.reuse"),
          Boolean.getBoolean("bench.funnel.loadOnly"));
    }
  }

  private final int runs;
  private final TimedRounds rounds;
  private final long budgetSeconds;
  private final Path dir;
  private final boolean reuse;
  private final List<String> table = new ArrayList<>();
  private final List<String> loads = new ArrayList<>();

  /** Set per store: uses the native aggregate when the store has it. */
  private FunnelPlanner planner = new FunnelPlanner();

  private final FunnelPlanner sqlPlanner = new FunnelPlanner();
  private String planName = "";
  private final FunnelValidator validator = new FunnelValidator();
  private final FunnelExecutor executor = new FunnelExecutor();

  private FunnelBenchmark(Options options) {
    this.runs = options.runs();
    this.rounds = new TimedRounds(options.runs());
    this.budgetSeconds = options.budgetSeconds();
    this.dir = options.workDir();
    this.reuse = options.reuse();
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.fromSystemProperties();
    FunnelBenchmark benchmark = new FunnelBenchmark(options);
    benchmark.tableHeader();
    for (long size : options.sizes()) {
      try (AnalyticsStore store = benchmark.openStore(size)) {
        benchmark.loadOrReuse(store, size);
        if (options.loadOnly()) {
          continue;
        }
        benchmark.usePlannerOf(store);
        benchmark.measure(store, size);
      }
    }
    if (options.loadOnly()) {
      System.out.println(String.join("\n", benchmark.loads));
      return;
    }
    benchmark.writeReport();
  }

  // ------------------------------------------------------------------ store

  private Path databaseFile(long size) {
    return dir.resolve("bench-" + size + ".duckdb");
  }

  private boolean reusable(long size) {
    return reuse && Files.exists(databaseFile(size));
  }

  /**
   * A file-backed store for {@code size} rows (threads=2, memory_limit=2GB, spill directory beside
   * the file), empty unless it is reused.
   */
  private AnalyticsStore openStore(long size) throws IOException {
    Files.createDirectories(dir);
    Path db = databaseFile(size);
    if (!reusable(size)) {
      for (String suffix : List.of("", ".wal")) {
        Files.deleteIfExists(Path.of(db + suffix));
      }
    }
    deleteTree(Path.of(db + ".tmp"));
    return AnalyticsStore.open(
        new StoreConfig(Optional.of(db), "2GB", 2, Optional.of(Path.of(db + ".tmp"))));
  }

  /**
   * Loads app 1 (plain), app 2 (one user owns 1% of the events), app 3 (anonymous ids linked to
   * their users) and app 4 (an account in every event's metadata): each one the store does not have
   * yet, so a reused file keeps what it has and gets what it lacks.
   */
  private void loadOrReuse(AnalyticsStore store, long size) throws Exception {
    List<SyntheticEvents.Shape> shapes =
        List.of(
            SyntheticEvents.Shape.PLAIN,
            SyntheticEvents.Shape.SKEWED,
            SyntheticEvents.Shape.IDENTITIES,
            SyntheticEvents.Shape.ACCOUNTS);
    boolean loaded = false;
    for (int i = 0; i < shapes.size(); i++) {
      long app = i + 1;
      if (store.count(app) == 0) {
        loads.add(SyntheticEvents.load(store, app, size, shapes.get(i)));
        loaded = true;
      } else {
        loads.add(
            String.format(
                Locale.ROOT,
                "%,d rows, app %d: reused from %s (-Dbench.funnel.reuse=true)",
                size,
                app,
                databaseFile(size)));
      }
    }
    if (loaded) {
      store.checkpoint();
    }
  }

  private void usePlannerOf(AnalyticsStore store) {
    planner = new FunnelPlanner(store.nativeFunnel());
    planName =
        store.nativeFunnel()
            ? "the native aggregate (NativeFunnelPlan)"
            : "the SQL fast plan (LatestStartPlan; this build has no native aggregate)";
  }

  // ------------------------------------------------------------------ report

  private void tableHeader() {
    table.add(
        "| rows | case | median s | spread s (fastest - slowest) | runs | x floor | users per step"
            + " | notes |");
    table.add("|---:|---|---:|---:|---:|---:|---|---|");
  }

  /**
   * Prints the report; writes it as the funnel section of a report run ({@code bench.section}), or
   * else as {@code funnel-<date>.md} in the results directory.
   */
  private void writeReport() throws IOException {
    String body = description() + "\n\n" + String.join("\n", table) + "\n\n" + footer();
    String title = "# Funnel benchmark " + LocalDate.now(ZoneOffset.UTC);
    System.out.println("\n" + title + "\n\n" + body);
    if (Report.sectionRequested()) {
      Report.writeSection("## Funnel compute\n\n" + body);
    } else {
      Report.writeResultsFile("funnel", title + "\n\n" + body);
    }
  }

  private String description() {
    return "Machine: "
        + Runtime.getRuntime().availableProcessors()
        + " cores, JDK "
        + System.getProperty("java.version")
        + "; DuckDB threads=2, memory_limit=2GB, file-backed store.\n"
        + "Data: "
        + SyntheticEvents.USERS
        + " users, "
        + SyntheticEvents.NAMES
        + " event names (popularity ~ 1/(i+1)^0.8), user activity skewed (u = U*r^1.5), "
        + SyntheticEvents.DAYS
        + " days. App 2 is the same shape with one user owning 1% of all events; app 3 with 30% of"
        + " users having 1-3 anonymous ids, used before their sign-in and then linked to them (the"
        + " funnel counts resolved persons); app 4 with an account id in every event's metadata"
        + " (100,000 accounts of 10 users).\n"
        + "Funnels: 3-step ordered n0 -> n2 -> n5 and 10-step ordered n0 -> ... -> n9, 7-day window, through FunnelPlanner + FunnelExecutor with "
        + planName
        + "; the row marked SQL fast plan runs the same funnel with the window-function plan only. Floor = scan + GROUP BY user_key over the funnel's rows (the self-join also joins on user_key).\n"
        + "Times are medians of "
        + runs
        + " runs after one warm-up. Each funnel runs in rounds right after its floor, and its x floor is the median of the per-round ratios (the machine drifts: floor and funnel measured minutes apart would not compare); the self-join runs once with a "
        + budgetSeconds
        + " s budget.";
  }

  private String footer() {
    return "Loads (through AnalyticsStore.load, 500k-row batches):\n\n"
        + loads.stream().map(l -> "- " + l).collect(Collectors.joining("\n"))
        + "\n\nPeak RSS of the benchmark JVM (VmHWM): "
        + PeakRss.ofThisJvmMb()
        + " MB\n";
  }

  // ------------------------------------------------------------------ data

  // ------------------------------------------------------------------ measurements

  /**
   * The cases of one size, each a row: the 3-step funnel (native or SQL fast plan, then the SQL
   * fast plan alone) against its floor, with two reference scans and the self-join; the same on the
   * skewed app; the 10-step funnel against its own floor.
   */
  private void measure(AnalyticsStore store, long size) throws Exception {
    List<String> three = names(0, 2, 5);
    List<String> ten = names(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    TimedRounds.Work floor3 = () -> FunnelScans.floor(store, 1, three);
    Stats floor3Times = floorRow(size, "floor: scan + GROUP BY user_key (3 names)", floor3);
    referenceRow(
        size,
        "scan + GROUP BY user_identifier (string), for reference",
        () -> FunnelScans.floor(store, 1, three, "user_identifier", false),
        floor3Times);
    referenceRow(
        size,
        "scan + GROUP BY user_key, names found with list_position as the native plan does, for"
            + " reference",
        () -> FunnelScans.floor(store, 1, three, "user_key", true),
        floor3Times);
    TimedRounds.Paired f3 =
        funnelRow(store, size, "funnel 3-step ordered, 7 d", plan(1, three), floor3, null, "");
    funnelRow(
        store,
        size,
        "funnel 3-step ordered, 7 d, SQL fast plan",
        plan(sqlPlanner, 1, three),
        floor3,
        f3,
        "the funnel above");
    selfJoinRow(
        size,
        "self-join 3-step",
        FunnelScans.selfJoin(store, 1, three, WINDOW, budgetSeconds),
        floor3Times.median());

    TimedRounds.Work floorSkew = () -> FunnelScans.floor(store, 2, three);
    Stats floorSkewTimes = floorRow(size, "floor, skewed (1 user = 1% of events)", floorSkew);
    funnelRow(
        store, size, "funnel 3-step, skewed", plan(2, three), floorSkew, f3, "the unskewed funnel");
    selfJoinRow(
        size,
        "self-join 3-step, skewed",
        FunnelScans.selfJoin(store, 2, three, WINDOW, budgetSeconds),
        floorSkewTimes.median());

    TimedRounds.Work floorIds = () -> FunnelScans.floor(store, 3, three, "person_key", false);
    Stats floorIdsTimes =
        floorRow(size, "floor, anonymous ids: scan + GROUP BY person_key", floorIds);
    referenceRow(
        size,
        "scan + GROUP BY user_key over the same rows (ids not resolved), for reference",
        () -> FunnelScans.floor(store, 3, three, "user_key", false),
        floorIdsTimes);
    funnelRow(
        store,
        size,
        "funnel 3-step, identities resolved (30% of users with 1-3 anonymous ids)",
        plan(3, three),
        floorIds,
        f3,
        "the funnel without anonymous ids (target: at most 1.3x)");

    measureActors(store, size, three);
    measureDefinitions(store, size, three, floor3, f3);

    TimedRounds.Work floor10 = () -> FunnelScans.floor(store, 1, ten);
    floorRow(size, "floor (10 names)", floor10);
    funnelRow(
        store, size, "funnel 10-step ordered, 7 d", plan(1, ten), floor10, f3, "the 3-step funnel");
    System.out.println(String.join("\n", table));
  }

  /**
   * The richer definitions against the plain 3-step funnel of the same run (target: each at most
   * 1.3x it): its middle step with three alternatives, its last step with a time limit, both at
   * once, and the same steps counted by account on the accounts app (against that app's floor).
   */
  private void measureDefinitions(
      AnalyticsStore store,
      long size,
      List<String> three,
      TimedRounds.Work floor3,
      TimedRounds.Paired f3)
      throws Exception {
    String target = "the plain 3-step funnel (target: at most 1.3x)";
    FunnelStep first = FunnelStep.of(three.get(0));
    FunnelStep middle = FunnelStep.of(three.get(1));
    FunnelStep alternatives =
        FunnelStep.anyOf(EventMatch.of(three.get(1)), EventMatch.of("n3"), EventMatch.of("n4"));
    FunnelStep last = FunnelStep.of(three.get(2));
    FunnelStep limited = last.within(Duration.ofHours(1));
    funnelRow(
        store,
        size,
        "funnel 3-step, middle step any of n2, n3, n4",
        plan(1, List.of(first, alternatives, last), null),
        floor3,
        f3,
        target);
    funnelRow(
        store,
        size,
        "funnel 3-step, last step within 1 h of the middle one",
        plan(1, List.of(first, middle, limited), null),
        floor3,
        f3,
        target);
    funnelRow(
        store,
        size,
        "funnel 3-step, middle step any of 3, last step within 1 h",
        plan(1, List.of(first, alternatives, limited), null),
        floor3,
        f3,
        target);
    TimedRounds.Work floorAccounts = () -> FunnelScans.floor(store, ACCOUNTS_APP, three);
    floorRow(size, "floor, accounts app: scan + GROUP BY user_key", floorAccounts);
    funnelRow(
        store,
        size,
        "funnel 3-step counted by account (count_by account, 100,000 accounts)",
        plan(ACCOUNTS_APP, List.of(first, middle, last), "account"),
        floorAccounts,
        f3,
        target);
  }

  /** A funnel of {@code steps} with the benchmark's window, optionally counted by a property. */
  private FunnelPlan plan(long appId, List<FunnelStep> steps, String countBy) {
    FunnelQuery.Builder b = FunnelQuery.builder(appId).window(WINDOW).steps(steps);
    if (countBy != null) {
      b.countBy(countBy);
    }
    return planner.plan(validator.requireValid(b.build()));
  }

  /**
   * The actors rows ({@link ActorsRows}): the first page of the people who dropped at step 2 of the
   * 3-step funnel against the report (target: at most 1.5x), and that whole list as CSV against the
   * SQL endpoint's path for as many rows of a plain SELECT (target: at most 2x), with the JVM's
   * peak RSS before and after.
   */
  private void measureActors(AnalyticsStore store, long size, List<String> steps) throws Exception {
    FunnelQuery.Builder b = FunnelQuery.builder(1).window(WINDOW);
    steps.forEach(s -> b.step(s));
    FunnelQuery query = validator.requireValid(b.build());
    ActorCell dropped = ActorCell.dropped(1);
    ActorsRows actors = new ActorsRows(store, planner);
    long rssBefore = PeakRss.ofThisJvmMb();
    TimedRounds.Paired page = rounds.paired(actors.report(query), actors.firstPage(query, dropped));
    row(
        size,
        "actors: first page (100) of the dropped at step 2, 3-step funnel",
        page.funnel().median(),
        page.funnel().spread("%.3f"),
        runs,
        Double.NaN,
        "-",
        String.format(
            Locale.ROOT,
            "%.2fx the report in the same rounds (%.3f s; target: at most 1.5x)",
            page.ratio().median(),
            page.floor().median()));
    csvRow(actors, size, query, dropped, "actors: all %,d dropped at step 2 as CSV", rssBefore);
    csvRow(
        actors,
        size,
        query,
        ActorCell.dropped(2),
        "actors: all %,d dropped at step 3 (the largest dropped list) as CSV",
        rssBefore);
  }

  /**
   * The whole {@code cell} as CSV against as many rows of a plain SELECT through the SQL endpoint's
   * path, in the same rounds (target: at most 2x).
   */
  private void csvRow(
      ActorsRows actors, long size, FunnelQuery query, ActorCell cell, String name, long rssBefore)
      throws Exception {
    long people = actors.size(query, cell);
    long[] actorBytes = new long[1];
    long[] sqlBytes = new long[1];
    TimedRounds.Paired csv =
        rounds.paired(actors.sqlCsv(1, people, sqlBytes), actors.wholeCsv(query, cell, actorBytes));
    row(
        size,
        String.format(Locale.ROOT, name, people),
        csv.funnel().median(),
        csv.funnel().spread("%.3f"),
        runs,
        Double.NaN,
        "-",
        String.format(
            Locale.ROOT,
            "%.2fx SELECT user_identifier LIMIT %,d as CSV through the SQL endpoint's path in the"
                + " same rounds (%.3f s; target: at most 2x); %,d vs %,d bytes; peak RSS %,d MB"
                + " before the actors rows, %,d MB after",
            csv.ratio().median(),
            people,
            csv.floor().median(),
            actorBytes[0],
            sqlBytes[0],
            rssBefore,
            PeakRss.ofThisJvmMb()));
  }

  /** A floor's row: its median time, its own ratio 1. */
  private Stats floorRow(long size, String name, TimedRounds.Work floor) throws Exception {
    Stats t = rounds.time(floor);
    row(size, name, t.median(), t.spread("%.3f"), runs, 1, "-", "");
    return t;
  }

  /** A scan timed for reference, against the median of {@code floor}. */
  private void referenceRow(long size, String name, TimedRounds.Work scan, Stats floor)
      throws Exception {
    Stats t = rounds.time(scan);
    row(size, name, t.median(), t.spread("%.3f"), runs, t.median() / floor.median(), "-", "");
  }

  /**
   * Times {@code plan} in rounds that run {@code floor} right before it, so that both see the
   * machine in the same state; its row gives the median of the per-round ratios and, when {@code
   * reference} is given, its median time relative to that one.
   */
  private TimedRounds.Paired funnelRow(
      AnalyticsStore store,
      long size,
      String name,
      FunnelPlan plan,
      TimedRounds.Work floor,
      TimedRounds.Paired reference,
      String referenceName)
      throws Exception {
    TimedRounds.Paired p = rounds.paired(floor, () -> executor.execute(store, plan));
    String note =
        String.format(Locale.ROOT, "floor in the same rounds %.3f s", p.floor().median())
            + (reference == null
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; %.2fx %s",
                    p.funnel().median() / reference.funnel().median(),
                    referenceName));
    row(
        size,
        name,
        p.funnel().median(),
        p.funnel().spread("%.3f"),
        runs,
        p.ratio().median(),
        users(executor.execute(store, plan)),
        note);
    return p;
  }

  /** A self-join row: one run, against the floor's median; past its budget, the budget's ratio. */
  private void selfJoinRow(long size, String name, FunnelScans.SelfJoin sj, double floorSeconds) {
    double ratio = (Double.isNaN(sj.seconds()) ? budgetSeconds : sj.seconds()) / floorSeconds;
    row(size, name, sj.seconds(), "-", 1, ratio, sj.users(), sj.note());
  }

  private FunnelPlan plan(long appId, List<String> steps) {
    return plan(planner, appId, steps);
  }

  private FunnelPlan plan(FunnelPlanner with, long appId, List<String> steps) {
    FunnelQuery.Builder b = FunnelQuery.builder(appId).window(WINDOW);
    steps.forEach(s -> b.step(s));
    return with.plan(validator.requireValid(b.build()));
  }

  private static List<String> names(int... idx) {
    return Arrays.stream(idx).mapToObj(i -> "n" + i).toList();
  }

  private static String users(FunnelResult r) {
    return Arrays.stream(r.users()).mapToObj(Long::toString).collect(Collectors.joining(" / "));
  }

  /**
   * One table row; {@code ratio} is to the floor (NaN seconds: the self-join ran out of time, and
   * the ratio is the budget's).
   */
  private void row(
      long size,
      String name,
      double seconds,
      String spread,
      int timedRuns,
      double ratio,
      String users,
      String note) {
    String median =
        Double.isNaN(seconds) ? "> " + budgetSeconds : String.format(Locale.ROOT, "%.3f", seconds);
    String times =
        Double.isNaN(seconds)
            ? "> " + String.format(Locale.ROOT, "%.0f", ratio)
            : Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
    table.add(
        String.format(
            Locale.ROOT,
            "| %,d | %s | %s | %s | %d | %s | %s | %s |",
            size,
            name,
            median,
            spread,
            timedRuns,
            times,
            users,
            note));
    System.out.println(table.get(table.size() - 1));
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(x -> x.toFile().delete());
    }
  }
}
