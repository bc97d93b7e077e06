package io.tracetics.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Ingest throughput and latency over HTTP with durable acknowledgement, each printed next to two
 * floors measured in the same rounds: the same load against the floor server ({@link
 * FloorApplication}: the same endpoints, which authenticate, read and validate but store nothing)
 * and raw multi-row INSERTs into the same MariaDB events table over JDBC ({@link RawInsertFloor}).
 * Loopback only; bounded in time. Options: {@link IngestSettings}.
 *
 * <p>The loads are {@link Load}s (closed and paced loops), the pairing of each run with its floors
 * is {@link Rounds}, the lines of the report {@link IngestReport}.
 */
public final class IngestBenchmark {
  private static final int[] SINGLE_CLIENTS = {16, 64, 256};
  private static final int[] BATCH_CLIENTS = {1, 4, 16, 64};

  private final IngestSettings settings;
  private final IngestServers servers;
  private final IngestReport report;
  private final Rounds rounds;

  private IngestBenchmark(IngestSettings settings, IngestServers servers, IngestReport report) {
    this.settings = settings;
    this.servers = servers;
    this.report = report;
    this.rounds = new Rounds(settings.runs(), servers::awaitIdle);
  }

  public static void main(String[] args) throws Exception {
    IngestSettings settings = IngestSettings.fromSystemProperties();
    IngestReport report = new IngestReport(settings);
    try (IngestServers servers = IngestServers.start(settings)) {
      IngestBenchmark benchmark = new IngestBenchmark(settings, servers, report);
      report.intro();
      benchmark.warmUp();
      report.durability(servers.dbUrl());
      Maxima max =
          settings.pacedRates().isEmpty()
              ? benchmark.closedLoops()
              : Maxima.ofPacedRates(settings.pacedRates());
      List<String> verdicts = new ArrayList<>(max.verdicts());
      verdicts.addAll(benchmark.pacedAtHalf(max.single(), max.batch(), "max"));
      report.targets(
          String.format(
              Locale.ROOT, "with the maximum of the %d s closed loops above", settings.seconds()),
          verdicts);
      if (settings.pacedRates().isEmpty() && settings.sustainedSeconds() > 0) {
        benchmark.sustained(max);
      }
      report.line("%nPeak RSS of the service JVM (VmHWM, -Xmx1g): %d MB.%n", servers.peakRssMb());
    }
    Report.writeSection(report.section());
  }

  /**
   * The highest accepted rates of the closed loops (single requests/s, batch events/s), the client
   * counts that reached them, and their ratio verdicts.
   */
  record Maxima(
      double single, double batch, int singleClients, int batchClients, List<String> verdicts) {

    /** {@code bench.pacedRates} ("single requests/s,batch events/s"): the halves to pace at. */
    static Maxima ofPacedRates(String rates) {
      String[] parts = rates.split(",");
      return new Maxima(
          2 * Double.parseDouble(parts[0]), 2 * Double.parseDouble(parts[1]), 0, 0, List.of());
    }
  }

  /**
   * Warms up the JIT on every side with every request kind at the measured concurrencies, so that
   * no measurement pays for compilation the other one did not. A fixed warm-up is not enough: under
   * this load the service's C2 compiler stays busy for minutes on a 2-core machine, so rounds go on
   * until the compiler threads (of both servers) are nearly idle during one (at least {@code
   * bench.warmupRounds}, at most {@code bench.warmupMaxSeconds}).
   */
  private void warmUp() throws Exception {
    long warmupStart = System.nanoTime();
    int done = 0;
    double compilerPercent;
    while (true) {
      long compilerBefore = servers.compilerCpuMillis();
      long roundStart = System.nanoTime();
      servers.floorSingle.closedLoop(256, 2);
      servers.single.closedLoop(256, 2);
      servers.floorBatch.closedLoop(16, 2);
      servers.batch.closedLoop(16, 2);
      done++;
      long compilerAfter = servers.compilerCpuMillis();
      compilerPercent =
          compilerBefore < 0 || compilerAfter < 0
              ? Double.NaN
              : 100.0 * (compilerAfter - compilerBefore) / ((System.nanoTime() - roundStart) / 1e6);
      boolean settled =
          Double.isNaN(compilerPercent) || compilerPercent < settings.warmupCompilerPercent();
      long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - warmupStart);
      if (done >= settings.warmupRounds() && (settled || elapsed >= settings.warmupMaxSeconds())) {
        break;
      }
    }
    report.warmUp(
        done, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - warmupStart), compilerPercent);
  }

  /**
   * The closed-loop rows, each measured in paired rounds: single events at 16, 64 and 256 clients
   * against floor (a); batches at 1, 4, 16 and 64 clients against floors (a) and (b). Returns the
   * best row of each kind and its ratio verdict.
   */
  private Maxima closedLoops() throws Exception {
    int seconds = settings.seconds();
    report.closedLoopsIntro();
    report.tableHeader();
    Rounds.Paired bestSingle = null;
    int singleClients = 0;
    for (int clients : SINGLE_CLIENTS) {
      Rounds.Paired paired =
          rounds.paired(
              () -> servers.floorSingle.closedLoop(clients, seconds),
              () -> servers.single.closedLoop(clients, seconds),
              null);
      report.row("single event", clients, paired);
      if (bestSingle == null || rate(paired) > rate(bestSingle)) {
        bestSingle = paired;
        singleClients = clients;
      }
    }
    Rounds.Paired bestBatch = null;
    int batchClients = 0;
    for (int clients : BATCH_CLIENTS) {
      Rounds.Paired paired =
          rounds.paired(
              () -> servers.floorBatch.closedLoop(clients, seconds),
              () -> servers.batch.closedLoop(clients, seconds),
              () -> servers.rawInsert.run(seconds));
      report.row("batch of " + settings.batch(), clients, paired);
      if (bestBatch == null || rate(paired) > rate(bestBatch)) {
        bestBatch = paired;
        batchClients = clients;
      }
    }
    return new Maxima(
        rate(bestSingle),
        rate(bestBatch),
        singleClients,
        batchClients,
        List.of(
            IngestReport.ratioVerdict(
                "single events", rate(bestSingle), "req/s", bestSingle.vsFloor(), "a", 60),
            IngestReport.ratioVerdict(
                "batches", rate(bestBatch), "events/s", bestBatch.vsRaw(), "b", 80)));
  }

  private static double rate(Rounds.Paired paired) {
    return paired.real().median().eventsPerSecond();
  }

  /**
   * The best rows again, over {@code bench.sustainedSeconds} each instead of {@code bench.seconds}:
   * long enough that the work a short run leaves for afterwards (the loader copying what it
   * committed into DuckDB, InnoDB flushing what the redo log absorbed) happens inside the run. One
   * round: floor (a), floor (b) for batches, then the real endpoint. Then the paced loads at half
   * of these rates.
   */
  private void sustained(Maxima best) throws Exception {
    int seconds = settings.sustainedSeconds();
    report.sustainedIntro();
    report.tableHeader();
    int singleClients = best.singleClients();
    int batchClients = best.batchClients();
    Rounds.Paired singles =
        rounds.once(
            () -> servers.floorSingle.closedLoop(singleClients, seconds),
            null,
            () -> servers.single.closedLoop(singleClients, seconds));
    report.row("single event", singleClients, singles);
    Rounds.Paired batches =
        rounds.once(
            () -> servers.floorBatch.closedLoop(batchClients, seconds),
            () -> servers.rawInsert.run(seconds),
            () -> servers.batch.closedLoop(batchClients, seconds));
    long busyFrom = System.nanoTime();
    servers.awaitIdle();
    double busySeconds = (System.nanoTime() - busyFrom) / 1e9;
    report.row("batch of " + settings.batch(), batchClients, batches);
    List<String> verdicts = new ArrayList<>();
    verdicts.add(
        IngestReport.ratioVerdict(
            "single events", rate(singles), "req/s", singles.vsFloor(), "a", 60));
    verdicts.add(
        IngestReport.ratioVerdict("batches", rate(batches), "events/s", batches.vsRaw(), "b", 80));
    verdicts.addAll(pacedAtHalf(rate(singles), rate(batches), "sustained max"));
    report.line(
        "%nAfter the %d s batch run the service was busy for %.1f s more.%n", seconds, busySeconds);
    report.targets(String.format(Locale.ROOT, "with the %d s maximum", seconds), verdicts);
  }

  /**
   * Paced single events and batches at half of {@code maxSingle} requests/s and {@code maxBatch}
   * events/s (rows of the current table), and their p99 verdicts.
   */
  private List<String> pacedAtHalf(double maxSingle, double maxBatch, String max) throws Exception {
    int seconds = settings.pacedSeconds();
    double halfSingle = maxSingle / 2;
    // Paced load runs code the closed loops did not (idle connections woken one request at a
    // time): the JIT compiles it during the first paced run, which is therefore not measured.
    servers.single.pacedLoop(256, halfSingle, seconds);
    Rounds.Measured paced =
        rounds.medianP99(() -> servers.single.pacedLoop(256, halfSingle, seconds));
    report.paced(
        String.format(Locale.ROOT, "single event, paced at half %s (%,.0f/s)", max, halfSingle),
        256,
        paced);
    double halfBatchRequests = maxBatch / 2 / settings.batch();
    servers.batch.pacedLoop(64, halfBatchRequests, seconds);
    Rounds.Measured pacedBatch =
        rounds.medianP99(() -> servers.batch.pacedLoop(64, halfBatchRequests, seconds));
    report.paced(
        String.format(
            Locale.ROOT,
            "batch of %d, paced at half %s (%,.0f events/s)",
            settings.batch(),
            max,
            maxBatch / 2),
        64,
        pacedBatch);
    return List.of(
        IngestReport.p99Verdict("single events paced at half " + max, paced.median().p99Ms()),
        IngestReport.p99Verdict("batches paced at half " + max, pacedBatch.median().p99Ms()));
  }
}
