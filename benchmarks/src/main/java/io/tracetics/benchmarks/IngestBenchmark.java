package io.tracetics.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Ingest throughput and latency over HTTP with durable acknowledgement, each printed next to two
 * floors measured in the same rounds: the same load against the service's no-I/O endpoint ({@code
 * /api/v1/events/noop}, which authenticates and validates but stores nothing) and raw multi-row
 * INSERTs into the same MariaDB events table over JDBC. Loopback only; bounded in time.
 *
 * <p>System properties: {@code bench.seconds} (per measurement, default 4), {@code bench.runs}
 * (repetitions, median reported; default 3), {@code bench.sustainedSeconds} (per measurement of the
 * sustained section, default 60; 0 leaves it out), {@code bench.batchSize} (events per batch
 * request, default 100), {@code bench.warmupRounds} (rounds of 2 s per request kind before
 * measuring, default 5), {@code bench.dbUrl} (default {@code
 * jdbc:mariadb://127.0.0.1:3306/bench_ingest}), {@code bench.redisUrl} (default {@code
 * redis://127.0.0.1:6379}).
 */
public final class IngestBenchmark {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 4);
  private static final int RUNS = Integer.getInteger("bench.runs", 3);

  /** Longer than the closed loops: a p99 over a few seconds of paced load is one stall's worth. */
  private static final int PACED_SECONDS = Integer.getInteger("bench.pacedSeconds", 10);

  /**
   * Per measurement of the sustained section (the best rows again, for minutes rather than
   * seconds); 0 leaves it out.
   */
  private static final int SUSTAINED_SECONDS = Integer.getInteger("bench.sustainedSeconds", 60);

  private static final int BATCH = Integer.getInteger("bench.batchSize", 100);
  private static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmupRounds", 5);
  private static final int WARMUP_MAX_SECONDS = Integer.getInteger("bench.warmupMaxSeconds", 300);
  private static final double WARMUP_COMPILER_PERCENT =
      Double.parseDouble(System.getProperty("bench.warmupCompilerPercent", "2"));
  private static final String DB_URL =
      System.getProperty(
          "bench.dbUrl", "jdbc:mariadb://127.0.0.1:3306/bench_ingest?sslMode=disable");
  private static final String REDIS_URL =
      System.getProperty("bench.redisUrl", "redis://127.0.0.1:6379");
  private static final int WRITERS = Integer.getInteger("bench.writerThreads", 4);

  /**
   * "single requests/s,batch events/s": skip the floors and closed loops and run only the paced
   * loads at these rates (for probing what moves their p99; not a report run).
   */
  private static final String PACED_RATES = System.getProperty("bench.pacedRates", "");

  private static final int RAW_ROWS_PER_STATEMENT = 500;
  private static final int RAW_ROWS_PER_TRANSACTION = 5_000;

  private IngestBenchmark() {}

  /** A measured load: events/s accepted and latency percentiles in ms. */
  record Result(
      double eventsPerSecond, double requestsPerSecond, double p50Ms, double p99Ms, int failed) {}

  public static void main(String[] args) throws Exception {
    // Every run starts from an empty database: the events table's size changes what an insert
    // costs, and a fresh node of the default configuration would first load the whole history of
    // earlier runs into its DuckDB file, on the same cores, during the measurements (startAt:
    // latest keeps it from that even on a database that is not empty).
    BenchService.recreateDatabase(DB_URL);
    StringBuilder out = new StringBuilder();
    try (BenchService started = BenchService.start(DB_URL, REDIS_URL, serviceConfig())) {
      service = started;
      BenchService.TenantApp keys = service.createTenantAndApp();
      int port = service.port;
      Requests requests = Requests.of(keys.tenantKey(), keys.appKey());
      intro(out);
      warmUp(out, port, requests);
      line(out, "%s%n%n", durability());
      Maxima max =
          PACED_RATES.isEmpty()
              ? closedLoops(out, port, keys.appId(), requests)
              : Maxima.ofPacedRates(PACED_RATES);
      List<String> verdicts = new ArrayList<>(max.verdicts());
      verdicts.addAll(pacedAtHalf(out, port, requests, max.single(), max.batch(), "max"));
      targets(
          out,
          String.format(Locale.ROOT, "with the maximum of the %d s closed loops above", SECONDS),
          verdicts);
      if (PACED_RATES.isEmpty() && SUSTAINED_SECONDS > 0) {
        sustained(out, port, keys.appId(), requests, max);
      }
      line(out, "%nPeak RSS of the service JVM (VmHWM, -Xmx1g): %d MB.%n", service.peakRssMb());
    }
    Report.writeSection(out.toString());
  }

  /**
   * The service's settings for this benchmark: the no-I/O endpoint on, a rate limit and queue that
   * do not interfere, {@code bench.writerThreads} writers, and a pipeline that starts at the latest
   * event.
   */
  private static String serviceConfig() {
    return """
        pipeline:
          startAt: latest
        ingest:
          rateLimitEventsPerSecond: 1000000000
          rateLimitBurst: 1000000000
          maxQueuedEvents: 200000
          benchmarkNoopEndpoint: true
          writerThreads: %d
        """
        .formatted(WRITERS);
  }

  /** The four requests the loads send, each a complete HTTP/1.1 request. */
  record Requests(byte[] single, byte[] singleNoop, byte[] batch, byte[] batchNoop) {
    static Requests of(String tenantKey, String appKey) {
      byte[] singleBody =
          ("{\"event_name\": \"signup_completed\", \"user_identifier\": \"user_123\",\n"
                  + " \"metadata\": {\"plan\": \"pro\", \"source\": \"landing_page\"}}")
              .getBytes(StandardCharsets.UTF_8);
      StringBuilder batch = new StringBuilder("{\"events\": [");
      for (int i = 0; i < BATCH; i++) {
        batch
            .append(i == 0 ? "" : ",")
            .append("{\"event_name\": \"page_viewed\", \"user_identifier\": \"user_")
            .append(i)
            .append("\", \"metadata\": {\"plan\": \"pro\", \"source\": \"landing_page\", \"i\": ")
            .append(i)
            .append("}}");
      }
      byte[] batchBody = batch.append("]}").toString().getBytes(StandardCharsets.UTF_8);
      return new Requests(
          RawHttpClient.post("/api/v1/events", tenantKey, appKey, singleBody),
          RawHttpClient.post("/api/v1/events/noop", tenantKey, appKey, singleBody),
          RawHttpClient.post("/api/v1/events/batch", tenantKey, appKey, batchBody),
          RawHttpClient.post("/api/v1/events/noop/batch", tenantKey, appKey, batchBody));
    }
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

  /** Prints a line and adds it to the report section. */
  private static void line(StringBuilder section, String format, Object... args) {
    String text = String.format(Locale.ROOT, format, args);
    System.out.print(text);
    section.append(text);
  }

  private static void intro(StringBuilder out) {
    System.out.printf(
        Locale.ROOT,
        "Tracetics ingest benchmark, %s, %d cores, %s%n%n",
        Instant.now(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    line(
        out,
        "## Ingest%n%nLoopback HTTP against the service (a separate JVM), %d s per measurement"
            + " (paced: %d s), median of %d runs (spread: slowest and fastest run); batch = %d"
            + " events per request."
            + " Command alone: `./mvnw -q -pl benchmarks -am -DskipTests -Pingest-bench package`.%n%n",
        SECONDS,
        PACED_SECONDS,
        RUNS,
        BATCH);
  }

  /**
   * Warms up the JIT on both sides with every request kind at the measured concurrencies, so that
   * no measurement pays for compilation the other one did not. A fixed warm-up is not enough: under
   * this load the service's C2 compiler stays busy for minutes on a 2-core machine, so rounds go on
   * until the compiler threads are nearly idle during one (at least {@code bench.warmupRounds}, at
   * most {@code bench.warmupMaxSeconds}).
   */
  private static void warmUp(StringBuilder out, int port, Requests requests) throws Exception {
    long warmupStart = System.nanoTime();
    int rounds = 0;
    double compilerPercent = Double.NaN;
    while (true) {
      long compilerBefore = service == null ? -1 : service.compilerCpuMillis();
      long roundStart = System.nanoTime();
      closedLoop(port, requests.singleNoop(), 1, 256, 2);
      closedLoop(port, requests.single(), 1, 256, 2);
      closedLoop(port, requests.batchNoop(), BATCH, 16, 2);
      closedLoop(port, requests.batch(), BATCH, 16, 2);
      rounds++;
      long compilerAfter = service == null ? -1 : service.compilerCpuMillis();
      compilerPercent =
          compilerBefore < 0 || compilerAfter < 0
              ? Double.NaN
              : 100.0 * (compilerAfter - compilerBefore) / ((System.nanoTime() - roundStart) / 1e6);
      boolean settled = Double.isNaN(compilerPercent) || compilerPercent < WARMUP_COMPILER_PERCENT;
      long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - warmupStart);
      if (rounds >= WARMUP_ROUNDS && (settled || elapsed >= WARMUP_MAX_SECONDS)) {
        break;
      }
    }
    line(
        out,
        "Warm-up: %d rounds of every request kind (%d s), until the service's JIT compiler threads"
            + " used under %.0f%% of a core during a round (last round: %.1f%%).%n%n",
        rounds,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - warmupStart),
        WARMUP_COMPILER_PERCENT,
        compilerPercent);
  }

  /**
   * The closed-loop rows, each measured in paired rounds: single events at 16, 64 and 256 clients
   * against floor (a); batches at 1, 4, 16 and 64 clients against floors (a) and (b). Returns the
   * best row of each kind and its ratio verdict.
   */
  private static Maxima closedLoops(StringBuilder out, int port, long appId, Requests requests)
      throws Exception {
    line(
        out,
        "Floors are measured in the same rounds as what they are compared with: each round of a"
            + " row runs (a), then the real endpoint, then for batches (b), and a ratio is the"
            + " median of the %d rounds' own ratios (the floors drift by more than the targets'"
            + " margins over the minutes a run takes). (b) is raw multi-row INSERTs of the same"
            + " rows into the same table (JDBC, 1 connection, %d rows/statement, %d rows/commit).%n%n",
        RUNS,
        RAW_ROWS_PER_STATEMENT,
        RAW_ROWS_PER_TRANSACTION);
    tableHeader(out);
    Paired bestSingle = null;
    int singleClients = 0;
    for (int clients : new int[] {16, 64, 256}) {
      Paired paired =
          paired(
              () -> closedLoop(port, requests.singleNoop(), 1, clients, SECONDS),
              () -> closedLoop(port, requests.single(), 1, clients, SECONDS),
              null);
      row(out, "single event", clients, paired);
      if (bestSingle == null
          || paired.real().median().eventsPerSecond()
              > bestSingle.real().median().eventsPerSecond()) {
        bestSingle = paired;
        singleClients = clients;
      }
    }
    Paired bestBatch = null;
    int batchClients = 0;
    for (int clients : new int[] {1, 4, 16, 64}) {
      Paired paired =
          paired(
              () -> closedLoop(port, requests.batchNoop(), BATCH, clients, SECONDS),
              () -> closedLoop(port, requests.batch(), BATCH, clients, SECONDS),
              () -> rawInsert(appId, SECONDS));
      row(out, "batch of " + BATCH, clients, paired);
      if (bestBatch == null
          || paired.real().median().eventsPerSecond()
              > bestBatch.real().median().eventsPerSecond()) {
        bestBatch = paired;
        batchClients = clients;
      }
    }
    double maxSingle = bestSingle.real().median().eventsPerSecond();
    double maxBatch = bestBatch.real().median().eventsPerSecond();
    return new Maxima(
        maxSingle,
        maxBatch,
        singleClients,
        batchClients,
        List.of(
            ratioVerdict("single events", maxSingle, "req/s", bestSingle.vsNoop(), "a", 60),
            ratioVerdict("batches", maxBatch, "events/s", bestBatch.vsRaw(), "b", 80)));
  }

  /** The target lines of a block, under {@code "Targets, this run, " + which}. */
  private static void targets(StringBuilder out, String which, List<String> verdicts) {
    line(out, "%nTargets, this run, %s:%n%n", which);
    for (String verdict : verdicts) {
      line(out, "- %s%n", verdict);
    }
  }

  /**
   * The best rows again, over {@code bench.sustainedSeconds} each instead of {@code bench.seconds}:
   * long enough that the work a short run leaves for afterwards (the loader copying what it
   * committed into DuckDB, InnoDB flushing what the redo log absorbed) happens inside the run. One
   * round: floor (a), floor (b) for batches, then the real endpoint (last, so that the loader's
   * catching up after it lowers no floor). Then the paced loads at half of these rates.
   */
  private static void sustained(
      StringBuilder out, int port, long appId, Requests requests, Maxima best) throws Exception {
    int seconds = SUSTAINED_SECONDS;
    line(
        out,
        "%n### Sustained%n%nThe best client count of each kind again, %d s per measurement, one round:"
            + " floor (a), floor (b) for batches, then the real endpoint. After the real batch run"
            + " the service is busy for as long as its loader needs to catch up (shown, at most"
            + " 30 s).%n%n",
        seconds);
    tableHeader(out);
    int singleClients = best.singleClients();
    int batchClients = best.batchClients();
    Paired singles =
        once(
            () -> closedLoop(port, requests.singleNoop(), 1, singleClients, seconds),
            null,
            () -> closedLoop(port, requests.single(), 1, singleClients, seconds));
    row(out, "single event", singleClients, singles);
    Paired batches =
        once(
            () -> closedLoop(port, requests.batchNoop(), BATCH, batchClients, seconds),
            () -> rawInsert(appId, seconds),
            () -> closedLoop(port, requests.batch(), BATCH, batchClients, seconds));
    long busyFrom = System.nanoTime();
    service.awaitIdle();
    double busySeconds = (System.nanoTime() - busyFrom) / 1e9;
    row(out, "batch of " + BATCH, batchClients, batches);
    double maxSingle = singles.real().median().eventsPerSecond();
    double maxBatch = batches.real().median().eventsPerSecond();
    List<String> verdicts = new ArrayList<>();
    verdicts.add(ratioVerdict("single events", maxSingle, "req/s", singles.vsNoop(), "a", 60));
    verdicts.add(ratioVerdict("batches", maxBatch, "events/s", batches.vsRaw(), "b", 80));
    verdicts.addAll(pacedAtHalf(out, port, requests, maxSingle, maxBatch, "sustained max"));
    line(
        out,
        "%nAfter the %d s batch run the service was busy for %.1f s more.%n",
        seconds,
        busySeconds);
    targets(out, String.format(Locale.ROOT, "with the %d s maximum", seconds), verdicts);
  }

  private static void tableHeader(StringBuilder out) {
    line(
        out,
        "| load | clients | accepted events/s (median) | spread | p50 ms | p99 ms | floor (a): no-I/O"
            + " endpoint | vs (a) | floor (b): raw INSERT rows/s | vs (b) | failed requests |%n");
    line(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
  }

  /** One round of floor (a), floor (b) (when given) and the real load, in that order. */
  private static Paired once(Measurement noop, Measurement raw, Measurement real) throws Exception {
    Result floor = idleThen(noop);
    Result insert = raw == null ? null : idleThen(raw);
    Result measured = idleThen(real);
    return paired(List.of(floor), List.of(measured), insert == null ? null : List.of(insert));
  }

  /**
   * Paced single events and batches at half of {@code maxSingle} requests/s and {@code maxBatch}
   * events/s (rows of the current table), and their p99 verdicts.
   */
  private static List<String> pacedAtHalf(
      StringBuilder out, int port, Requests requests, double maxSingle, double maxBatch, String max)
      throws Exception {
    byte[] single = requests.single();
    byte[] batchReq = requests.batch();
    double halfSingle = maxSingle / 2;
    // Paced load runs code the closed loops did not (idle connections woken one request at a
    // time): the JIT compiles it during the first paced run, which is therefore not measured.
    openLoop(port, single, 1, 256, halfSingle, PACED_SECONDS);
    Measured paced =
        medianP99(() -> openLoop(port, single, 1, 256, halfSingle, PACED_SECONDS), RUNS);
    paced(
        out,
        String.format(Locale.ROOT, "single event, paced at half %s (%,.0f/s)", max, halfSingle),
        256,
        paced);
    double halfBatchRequests = maxBatch / 2 / BATCH;
    openLoop(port, batchReq, BATCH, 64, halfBatchRequests, PACED_SECONDS);
    Measured pacedBatch =
        medianP99(
            () -> openLoop(port, batchReq, BATCH, 64, halfBatchRequests, PACED_SECONDS), RUNS);
    paced(
        out,
        String.format(
            Locale.ROOT,
            "batch of %d, paced at half %s (%,.0f events/s)",
            BATCH,
            max,
            maxBatch / 2),
        64,
        pacedBatch);
    return List.of(
        verdict(
            String.format(
                Locale.ROOT,
                "single events paced at half %s: p99 %.1f ms",
                max,
                paced.median().p99Ms()),
            "target < 50 ms",
            paced.median().p99Ms() < 50),
        verdict(
            String.format(
                Locale.ROOT,
                "batches paced at half %s: p99 %.1f ms",
                max,
                pacedBatch.median().p99Ms()),
            "target < 50 ms",
            pacedBatch.median().p99Ms() < 50));
  }

  /** The ratio target of a load at its best client count, against floor {@code floor}. */
  private static String ratioVerdict(
      String load, double rate, String unit, Stats ratios, String floor, int targetPercent) {
    return verdict(
        String.format(
            Locale.ROOT,
            "%s, at the client count with the highest rate (%,.0f %s): %.0f%% of (%s) (rounds: %.0f%%"
                + " - %.0f%%)",
            load,
            rate,
            unit,
            100 * ratios.median(),
            floor,
            100 * ratios.min(),
            100 * ratios.max()),
        "target >= " + targetPercent + "%",
        100 * ratios.median() >= targetPercent);
  }

  private static String verdict(String measured, String target, boolean met) {
    return measured + " (" + target + "): " + (met ? "met" : "not met");
  }

  private static void row(StringBuilder out, String load, int clients, Paired paired) {
    boolean batch = paired.raw() != null;
    Result real = paired.real().median();
    Result noop = paired.noop().median();
    line(
        out,
        "| %s | %d | %,.0f | %s | %.2f | %.2f | %,.0f %s | %.0f%% | %s | %s | %d |%n",
        load,
        clients,
        real.eventsPerSecond(),
        paired.real().rate().spread("%,.0f"),
        real.p50Ms(),
        real.p99Ms(),
        batch ? noop.eventsPerSecond() : noop.requestsPerSecond(),
        batch ? "events/s" : "req/s",
        100 * paired.vsNoop().median(),
        batch ? String.format(Locale.ROOT, "%,.0f", paired.raw().median().eventsPerSecond()) : "",
        batch ? String.format(Locale.ROOT, "%.0f%%", 100 * paired.vsRaw().median()) : "",
        real.failed());
  }

  private static void paced(StringBuilder out, String load, int clients, Measured measured) {
    Result real = measured.median();
    line(
        out,
        "| %s | %d | %,.0f | %s | %.2f | %.2f (runs: %s) | | | | | %d |%n",
        load,
        clients,
        real.eventsPerSecond(),
        measured.rate().spread("%,.0f"),
        real.p50Ms(),
        real.p99Ms(),
        measured.p99().spread("%.1f"),
        real.failed());
  }

  interface Measurement {
    Result measure() throws Exception;
  }

  /** The median run, and the spread of the rates and of the p99s. */
  record Measured(Result median, Stats rate, Stats p99) {}

  /**
   * A row measured in rounds: each round runs floor (a), the real load and, for batches, floor (b)
   * back to back; the ratios are per round (real over that round's floor), their median and spread.
   */
  record Paired(Measured real, Measured noop, Measured raw, Stats vsNoop, Stats vsRaw) {}

  private static Paired paired(Measurement noop, Measurement real, Measurement raw)
      throws Exception {
    List<Result> noops = new ArrayList<>();
    List<Result> reals = new ArrayList<>();
    List<Result> raws = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      noops.add(idleThen(noop));
      reals.add(idleThen(real));
      if (raw != null) {
        raws.add(idleThen(raw));
      }
    }
    return paired(noops, reals, raw == null ? null : raws);
  }

  /** Rounds measured, as a row: round i's ratios are reals[i] over its floors noops[i], raws[i]. */
  private static Paired paired(List<Result> noops, List<Result> reals, List<Result> raws) {
    List<Double> vsNoop = new ArrayList<>();
    List<Double> vsRaw = new ArrayList<>();
    for (int i = 0; i < reals.size(); i++) {
      double rate = reals.get(i).eventsPerSecond();
      vsNoop.add(rate / noops.get(i).eventsPerSecond());
      if (raws != null) {
        vsRaw.add(rate / raws.get(i).eventsPerSecond());
      }
    }
    Comparator<Result> byRate = Comparator.comparingDouble(Result::eventsPerSecond);
    return new Paired(
        measured(reals, byRate),
        measured(noops, byRate),
        raws == null ? null : measured(raws, byRate),
        Stats.of(vsNoop),
        raws == null ? null : Stats.of(vsRaw));
  }

  private static Result idleThen(Measurement measurement) throws Exception {
    if (service != null) {
      service.awaitIdle();
    }
    return measurement.measure();
  }

  /** The service under test, waited on until idle before every measured run. */
  private static BenchService service;

  /**
   * Repeats a paced measurement and keeps the run with the median p99: paced runs all reach about
   * the same rate, so the median rate would pick a run by noise.
   */
  private static Measured medianP99(Measurement measurement, int runs) throws Exception {
    return median(measurement, runs, Comparator.comparingDouble(Result::p99Ms));
  }

  private static Measured median(Measurement measurement, int runs, Comparator<Result> order)
      throws Exception {
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      results.add(idleThen(measurement));
    }
    return measured(results, order);
  }

  /** The run that is the median by {@code order}, with the spread of every run's rate and p99. */
  private static Measured measured(List<Result> runs, Comparator<Result> order) {
    List<Result> results = new ArrayList<>(runs);
    results.sort(order);
    return new Measured(
        results.get(results.size() / 2),
        Stats.of(results.stream().map(Result::eventsPerSecond).toList()),
        Stats.of(results.stream().map(Result::p99Ms).toList()));
  }

  /**
   * Paced load at {@code requestsPerSecond} in total from one selector thread ({@link PacedLoad});
   * latency counts from the scheduled send time, so a stalled server is not hidden (no coordinated
   * omission).
   */
  private static Result openLoop(
      int port,
      byte[] request,
      int eventsPerRequest,
      int clients,
      double requestsPerSecond,
      int seconds)
      throws Exception {
    PacedLoad.Outcome outcome = PacedLoad.run(port, request, clients, requestsPerSecond, seconds);
    return summary(
        outcome.latencies(),
        eventsPerRequest,
        outcome.seconds(),
        outcome.failed(),
        outcome.firstFailure());
  }

  /** {@code clients} connections, each sending as fast as responses come back. */
  private static Result closedLoop(
      int port, byte[] request, int eventsPerRequest, int clients, int seconds) throws Exception {
    long[][] latencies = new long[clients][];
    int[] failures = new int[clients];
    String[] firstFailure = new String[1];
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                try (RawHttpClient http = new RawHttpClient(port)) {
                  for (long sendAt; (sendAt = System.nanoTime()) < end; ) {
                    int status = http.send(request);
                    long done = System.nanoTime();
                    if (status != 200) {
                      failures[client]++;
                      if (firstFailure[0] == null) {
                        firstFailure[0] = status + " " + http.lastBody();
                      }
                      continue;
                    }
                    if (n == mine.length) {
                      mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = done - sendAt;
                  }
                } catch (IOException e) {
                  firstFailure[0] = e.toString();
                }
                latencies[client] = Arrays.copyOf(mine, n);
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all = new long[Arrays.stream(latencies).mapToInt(mine -> mine.length).sum()];
    int at = 0;
    for (long[] mine : latencies) {
      System.arraycopy(mine, 0, all, at, mine.length);
      at += mine.length;
    }
    Arrays.sort(all);
    return summary(all, eventsPerRequest, elapsed, Arrays.stream(failures).sum(), firstFailure[0]);
  }

  /** Rates and p50/p99 of one run, from its successful requests' latencies (sorted, in ns). */
  private static Result summary(
      long[] sorted, int eventsPerRequest, double seconds, int failed, String firstFailure) {
    if (sorted.length == 0) {
      throw new IllegalStateException("no request succeeded, e.g. " + firstFailure);
    }
    if (failed > 0) {
      System.err.printf(
          "  %d failed request(s) (not counted as accepted), e.g. %s%n", failed, firstFailure);
    }
    return new Result(
        sorted.length * (double) eventsPerRequest / seconds,
        sorted.length / seconds,
        sorted[(int) (sorted.length * 0.50)] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6,
        failed);
  }

  /** Floor (b): multi-row INSERTs of the same shape into the events table, one connection. */
  private static Result rawInsert(long appId, int seconds) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO events (app_id, batch_id, user_identifier, event_name, event_time_ms,"
                + " received_at_ms, sent_at_ms, client_event_id, metadata) VALUES ");
    for (int i = 0; i < RAW_ROWS_PER_STATEMENT; i++) {
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?)");
    }
    long rows = 0;
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    try (Connection connection = DriverManager.getConnection(DB_URL, "root", "");
        PreparedStatement insert = connection.prepareStatement(sql.toString())) {
      connection.setAutoCommit(false);
      while (System.nanoTime() < end) {
        for (int s = 0; s < RAW_ROWS_PER_TRANSACTION / RAW_ROWS_PER_STATEMENT; s++) {
          int p = 1;
          long now = System.currentTimeMillis();
          for (int i = 0; i < RAW_ROWS_PER_STATEMENT; i++) {
            insert.setLong(p++, appId);
            insert.setLong(p++, 0);
            insert.setString(p++, "user_" + i);
            insert.setString(p++, "page_viewed");
            insert.setLong(p++, now);
            insert.setLong(p++, now);
            insert.setNull(p++, java.sql.Types.BIGINT);
            insert.setNull(p++, java.sql.Types.VARCHAR);
            insert.setString(p++, "{\"plan\":\"pro\",\"source\":\"landing_page\",\"i\":" + i + "}");
          }
          insert.executeUpdate();
          rows += RAW_ROWS_PER_STATEMENT;
        }
        connection.commit();
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Result(rows / elapsed, 0, 0, 0, 0);
  }

  /** The server settings that decide what a commit costs. */
  private static String durability() throws SQLException {
    try (Connection connection = DriverManager.getConnection(DB_URL, "root", "");
        Statement statement = connection.createStatement();
        var rows =
            statement.executeQuery(
                "SHOW VARIABLES WHERE Variable_name IN ('version', 'innodb_flush_log_at_trx_commit',"
                    + " 'sync_binlog', 'log_bin', 'innodb_flush_method', 'innodb_buffer_pool_size')")) {
      StringBuilder line = new StringBuilder("MariaDB:");
      while (rows.next()) {
        line.append(' ').append(rows.getString(1)).append('=').append(rows.getString(2));
      }
      return line.append("; service setting ingest.writerThreads=").append(WRITERS).toString();
    }
  }
}
