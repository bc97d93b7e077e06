package io.tracetics.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.Tenants;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
    try (ServiceProcess service = BenchServices.start(serviceOptions())) {
      Tenants.TenantApp app = Tenants.create(service.http(), "business");
      long funnelId = saveProbeFunnel(service, app);
      SteadyLoad load = SteadyLoad.start(service, app, RATE, BATCH);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      FreshnessProbe probe = FreshnessProbe.start(service, app, end, PROBE_EVERY_MS);
      List<long[]> inclusions = pollInclusions(service, funnelId, end, probe);
      load.stop();
      probe.join();
      report(service, load, probe, freshnessMs(inclusions, probe));
    }
  }

  /**
   * The default pipeline; a new node skips the database's history (only this run's events matter
   * here) and no rate limit interferes.
   */
  private static ServiceProcess.Options serviceOptions() {
    return BenchServices.options("freshness", DB_URL, REDIS_URL)
        .set("pipeline.startAt", "latest")
        .set("ingest.rateLimitEventsPerSecond", "1000000000")
        .set("ingest.rateLimitBurst", "1000000000");
  }

  private static long saveProbeFunnel(ServiceProcess service, Tenants.TenantApp app) {
    String body =
        "{\"name\": \"probe\", \"window_seconds\": 60, \"steps\": [{\"event_name\": \"probe\"},"
            + " {\"event_name\": \"never\"}]}";
    return service
        .http()
        .post("/api/v1/apps/" + app.appId() + "/funnels")
        .bearer(app.managementToken())
        .body(body)
        .send()
        .successJson()
        .get("funnel_id")
        .asLong();
  }

  /**
   * Polls the cached result every 10 ms (its first step's users = probes included) until the load
   * has ended and every acknowledged probe is included, at most 15 s after the end. Returns {k,
   * time it was first seen} for every probe k included.
   */
  private static List<long[]> pollInclusions(
      ServiceProcess service, long funnelId, long end, FreshnessProbe probe) throws Exception {
    List<long[]> inclusions = new ArrayList<>();
    long included = 0;
    try (Connection db = DriverManager.getConnection(service.databaseUrl(), "root", "");
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
  private static List<Double> freshnessMs(List<long[]> inclusions, FreshnessProbe probe) {
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
      ServiceProcess service, SteadyLoad load, FreshnessProbe probe, List<Double> freshness)
      throws Exception {
    String pipeline = lagMs(service);
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
            new JvmProbe(service.pid()).peakRssMb());
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

  /** The loader lag the service reports ({@code lag_ms} of {@code GET /api/v1/pipeline}). */
  private static String lagMs(ServiceProcess service) {
    JsonNode lag = service.pipelineStatus().findValue("lag_ms");
    return lag == null || !lag.isObject() ? "(not reported)" : lag.toString();
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
