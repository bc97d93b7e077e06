package io.tracetics.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Freshness: the time from an event's acknowledgement to its inclusion in a cached funnel result,
 * under a steady ingest load.
 *
 * <p>The load is {@code bench.rate} events/s (batches of {@code bench.batchSize}, paced, open loop)
 * for {@code bench.seconds}. Alongside it, a probe sends one event named {@code probe} for a new
 * user every {@code bench.probeEveryMs}; a saved funnel {@code probe -> never} counts them. The
 * probe's k-th acknowledged event is included when the cached result's first step reaches k users;
 * the benchmark polls the cached-results table in MariaDB (what reports serve) every 10 ms. It
 * prints p50/p95/max freshness and the loader lag the service itself reports.
 */
public final class FreshnessBenchmark {
  private static final int RATE = Integer.getInteger("bench.rate", 5_000);
  private static final int SECONDS = Integer.getInteger("bench.seconds", 60);
  private static final int BATCH = Integer.getInteger("bench.batchSize", 50);
  private static final int PROBE_EVERY_MS = Integer.getInteger("bench.probeEveryMs", 250);
  private static final String DB_URL =
      System.getProperty(
          "bench.dbUrl", "jdbc:mariadb://127.0.0.1:3306/bench_freshness?sslMode=disable");
  private static final String REDIS_URL =
      System.getProperty("bench.redisUrl", "redis://127.0.0.1:6379");

  private FreshnessBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (BenchService service = BenchService.start(DB_URL, REDIS_URL, serviceConfig())) {
      BenchService.TenantApp app = service.createTenantAndApp();
      long funnelId = saveProbeFunnel(service, app);
      SteadyLoad load = SteadyLoad.start(service, app);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      Probe probe = Probe.start(service, app, end);
      List<long[]> inclusions = pollInclusions(service, funnelId, end, probe);
      load.stop();
      probe.join();
      report(service, load, probe, freshnessMs(inclusions, probe));
    }
  }

  /** A new node skips the database's history: only this run's events matter here. */
  private static String serviceConfig() {
    return """
        pipeline:
          startAt: latest
        ingest:
          rateLimitEventsPerSecond: 1000000000
          rateLimitBurst: 1000000000
        """;
  }

  private static long saveProbeFunnel(BenchService service, BenchService.TenantApp app)
      throws Exception {
    String body =
        "{\"name\": \"probe\", \"window_seconds\": 60, \"steps\": [{\"event_name\": \"probe\"},"
            + " {\"event_name\": \"never\"}]}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(service.baseUrl() + "/api/v1/apps/" + app.appId() + "/funnels"))
                    .header("Authorization", "Bearer " + app.managementToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("funnel not saved: " + response.body());
    }
    return Long.parseLong(BenchService.field(response.body(), "funnel_id"));
  }

  /**
   * {@code bench.rate} events/s as paced batches of {@code bench.batchSize}, sent asynchronously.
   */
  static final class SteadyLoad {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    private final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);

    static SteadyLoad start(BenchService service, BenchService.TenantApp app) {
      SteadyLoad load = new SteadyLoad();
      load.schedule(service, app);
      return load;
    }

    private void schedule(BenchService service, BenchService.TenantApp app) {
      HttpClient client =
          HttpClient.newBuilder()
              .executor(
                  Executors.newFixedThreadPool(
                      8,
                      task -> {
                        Thread thread = new Thread(task, "load");
                        thread.setDaemon(true); // the JVM ends when the benchmark does
                        return thread;
                      }))
              .build();
      URI batchUri = URI.create(service.baseUrl() + "/api/v1/events/batch");
      long batchesPerSecond = Math.max(1, RATE / BATCH);
      long periodMicros = 1_000_000L / batchesPerSecond;
      AtomicLong userCounter = new AtomicLong();
      pacer.scheduleAtFixedRate(
          () -> {
            StringBuilder json = new StringBuilder("{\"events\": [");
            for (int i = 0; i < BATCH; i++) {
              long user = userCounter.incrementAndGet() % 20_000;
              json.append(i == 0 ? "" : ",")
                  .append("{\"event_name\": \"")
                  .append(i % 3 == 0 ? "signup" : "visit")
                  .append("\", \"user_identifier\": \"u")
                  .append(user)
                  .append("\", \"metadata\": {\"source\": \"bench\"}}");
            }
            json.append("]}");
            sent.addAndGet(BATCH);
            client
                .sendAsync(
                    HttpRequest.newBuilder(batchUri)
                        .header("X-OL-Tenant-Key", app.tenantKey())
                        .header("X-OL-App-Key", app.appKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.toString()))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .whenComplete(
                    (response, error) -> {
                      if (error == null && response.statusCode() == 200) {
                        acknowledged.addAndGet(BATCH);
                      } else {
                        failed.incrementAndGet();
                      }
                    });
          },
          0,
          periodMicros,
          TimeUnit.MICROSECONDS);
    }

    void stop() {
      pacer.shutdownNow();
    }
  }

  /**
   * The probe: sequential single events, each for a new user, every {@code bench.probeEveryMs}
   * until {@code end}; the k-th acknowledgement time is {@code acks[k-1]}.
   */
  static final class Probe {
    final List<Long> acks = Collections.synchronizedList(new ArrayList<>());
    final List<Double> roundTripsMs = Collections.synchronizedList(new ArrayList<>());
    private Thread thread;

    static Probe start(BenchService service, BenchService.TenantApp app, long end) {
      Probe probe = new Probe();
      probe.thread = new Thread(() -> probe.send(service, app, end), "probe");
      probe.thread.start();
      return probe;
    }

    private void send(BenchService service, BenchService.TenantApp app, long end) {
      URI singleUri = URI.create(service.baseUrl() + "/api/v1/events");
      HttpClient probeClient = HttpClient.newHttpClient();
      long n = 0;
      while (System.nanoTime() < end) {
        n++;
        try {
          long sentAt = System.nanoTime();
          HttpResponse<String> response =
              probeClient.send(
                  HttpRequest.newBuilder(singleUri)
                      .header("X-OL-Tenant-Key", app.tenantKey())
                      .header("X-OL-App-Key", app.appKey())
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"event_name\": \"probe\", \"user_identifier\": \"probe-"
                                  + n
                                  + "\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            long ackedAt = System.nanoTime();
            acks.add(ackedAt);
            roundTripsMs.add((ackedAt - sentAt) / 1e6);
          }
          Thread.sleep(PROBE_EVERY_MS);
        } catch (Exception e) {
          throw new IllegalStateException("probe failed", e);
        }
      }
    }

    void join() throws InterruptedException {
      thread.join();
    }
  }

  /**
   * Polls the cached result every 10 ms (its first step's users = probes included) until the load
   * has ended and every acknowledged probe is included, at most 15 s after the end. Returns {k,
   * time it was first seen} for every probe k included.
   */
  private static List<long[]> pollInclusions(
      BenchService service, long funnelId, long end, Probe probe) throws Exception {
    List<long[]> inclusions = new ArrayList<>();
    long included = 0;
    try (Connection db = DriverManager.getConnection(service.dbUrl, "root", "");
        PreparedStatement poll =
            db.prepareStatement("SELECT result FROM funnel_results WHERE funnel_id = ?")) {
      poll.setLong(1, funnelId);
      long pollUntil = end + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < pollUntil) {
        long users = 0;
        try (ResultSet rs = poll.executeQuery()) {
          while (rs.next()) {
            users = Math.max(users, firstStepUsers(rs.getString(1)));
          }
        }
        long now = System.nanoTime();
        for (long k = included + 1; k <= users; k++) {
          inclusions.add(new long[] {k, now});
        }
        included = Math.max(included, users);
        if (System.nanoTime() > end && included >= probe.acks.size()) {
          break;
        }
        Thread.sleep(10);
      }
    }
    return inclusions;
  }

  /** Acknowledgement -> inclusion of every included probe, in ms, sorted. */
  private static List<Double> freshnessMs(List<long[]> inclusions, Probe probe) {
    List<Double> freshness = new ArrayList<>();
    for (long[] inclusion : inclusions) {
      int index = (int) inclusion[0] - 1;
      if (index < probe.acks.size()) {
        freshness.add(Math.max(0, inclusion[1] - probe.acks.get(index)) / 1e6);
      }
    }
    Collections.sort(freshness);
    return freshness;
  }

  /** Prints the section and writes it (report section or dated results file). */
  private static void report(
      BenchService service, SteadyLoad load, Probe probe, List<Double> freshness) throws Exception {
    String pipeline = pipelineStatus(service);
    List<Double> roundTrips = new ArrayList<>(probe.roundTripsMs);
    Collections.sort(roundTrips);
    double p50 = percentile(freshness, 0.50);
    double floor = percentile(roundTrips, 0.50);
    String report =
        String.format(
            Locale.ROOT,
            """
            ## Freshness

            A steady load of %,d events/s (paced batches of %d over HTTP) for %d s while a probe \
            sends one event for a new user every %d ms; a probe event is *included* when the cached \
            result of a saved funnel (what reports serve) counts it. Service as a separate JVM with \
            the default pipeline (1 s load job, woken early by Redis notices). Command alone: \
            `./mvnw -q -pl benchmarks -am -DskipTests -Pfreshness-bench package`.

            | load | events sent | acknowledged | failed requests | probes | included |
            |---|---:|---:|---:|---:|---:|
            | %,d ev/s, batches of %d, %d s | %,d | %,d | %,d | %,d | %,d |

            | acknowledgement -> in a cached funnel result | p50 | p95 | spread (min - max) | floor: probe request round trip, p50 | p50 vs floor | target |
            |---|---:|---:|---:|---:|---:|---|
            | %d probe events | %.0f ms | %.0f ms | %.0f - %.0f ms | %.1f ms | %.0fx | p95 < 2000 ms |

            Loader lag reported by the service (`GET /api/v1/pipeline`, acknowledgement -> in DuckDB, \
            last minute): %s. Peak RSS of the service JVM (VmHWM, -Xmx1g): %d MB.
            """,
            RATE,
            BATCH,
            SECONDS,
            PROBE_EVERY_MS,
            RATE,
            BATCH,
            SECONDS,
            load.sent.get(),
            load.acknowledged.get(),
            load.failed.get(),
            probe.acks.size(),
            freshness.size(),
            freshness.size(),
            p50,
            percentile(freshness, 0.95),
            freshness.isEmpty() ? Double.NaN : freshness.get(0),
            freshness.isEmpty() ? Double.NaN : freshness.get(freshness.size() - 1),
            floor,
            p50 / floor,
            pipeline,
            service.peakRssMb());
    System.out.println(report);
    if (Report.sectionRequested()) {
      Report.writeSection(report);
    } else {
      Report.writeResultsFile("freshness", report);
    }
  }

  private static long firstStepUsers(String resultJson) {
    Matcher m = Pattern.compile("\"users\"\\s*:\\s*(\\d+)").matcher(resultJson);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static String pipelineStatus(BenchService service) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/pipeline"))
                    .header("Authorization", "Bearer " + BenchService.OPERATOR_TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"lag_ms\"\\s*:\\s*(\\{[^}]*\\})").matcher(response.body());
    return m.find() ? m.group(1) : "(not reported)";
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
