package io.tracetics.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.loader.NoticeStreamTrimJob;
import io.tracetics.testing.CopyCheck;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two service processes in cluster mode on one MariaDB and Redis: the cluster-wide job fires once
 * per tick across both, moves to the survivor when the node running it is SIGKILLed, and each
 * node's DuckDB copy ends with exactly MariaDB's events.
 */
class ClusterIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final long TRIM_INTERVAL_MS = 1_000;
  private static final long CHECKIN_MS = 1_000;

  private final List<ServiceProcess> started = new ArrayList<>();

  /** One run of the cluster job as recorded in cluster_job_runs. */
  record Run(long fireMs, String node, long startedMs, int duplicates) {}

  @AfterEach
  void killLeftovers() {
    started.forEach(ServiceProcess::close);
  }

  @Test
  @Timeout(300)
  void jobsFireOnceAcrossTheClusterMoveToTheSurvivorAndEveryCopyIsComplete() throws Exception {
    Path root =
        Files.createDirectories(Path.of("target", "it-processes"))
            .resolve("cluster-" + System.currentTimeMillis())
            .toAbsolutePath();
    ServiceProcess.Options a = options("cluster-a", root.resolve("a"));
    ServiceProcess.Options b = options("cluster-b", root.resolve("b"));
    long since = System.currentTimeMillis();
    CompletableFuture<ServiceProcess> startingA = CompletableFuture.supplyAsync(() -> start(a));
    CompletableFuture<ServiceProcess> startingB = CompletableFuture.supplyAsync(() -> start(b));
    ServiceProcess nodeA = startingA.get();
    ServiceProcess nodeB = startingB.get();

    // Both nodes serve the API (tenancy and the operator's pipeline status) and name themselves.
    assertEquals("cluster-a", nodeA.pipelineStatus().get("node").asText());
    assertEquals("cluster-b", nodeB.pipelineStatus().get("node").asText());
    long appId = Tenants.create(nodeB.http()).appId();

    AtomicBoolean writing = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Long> committed = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      writers.add(
          pool.submit(() -> EventWriter.writeUntilStopped(appId, writer, writing, committed)));
    }
    ServiceProcess survivor;
    ServiceProcess.Options killedOptions;
    long killedAt;
    long restartedAt;
    try {
      // The cluster job runs, once per tick, somewhere in the cluster.
      List<Run> before = awaitRuns(since, 4, null, Duration.ofSeconds(30));
      Run last = before.get(before.size() - 1);
      ServiceProcess worker = last.node().equals("cluster-a") ? nodeA : nodeB;
      survivor = worker == nodeA ? nodeB : nodeA;
      killedOptions = worker.options();

      // SIGKILL the node that ran the latest tick: the survivor takes the job over.
      worker.kill();
      killedAt = System.currentTimeMillis();
      List<Run> after =
          awaitRuns(
              killedAt,
              3,
              survivor.options().nodeName(),
              Duration.ofMillis(CHECKIN_MS * 20 + 10_000));
      long takeover = after.get(0).startedMs() - killedAt;
      System.out.printf(
          "ClusterIT: %s killed; %s ran the job %d ms later%n",
          killedOptions.nodeName(), survivor.options().nodeName(), takeover);

      // The operator sees where the cluster job runs, and how its last run ended.
      JsonNode job = survivor.pipelineStatus().get("cluster_jobs").get(NoticeStreamTrimJob.NAME);
      assertEquals(survivor.options().nodeName(), job.get("node").asText(), job::toString);
      System.out.println("ClusterIT: latest cluster job run " + job);

      // The killed node comes back on its own data dir and rejoins.
      restartedAt = System.currentTimeMillis();
      ServiceProcess back = start(killedOptions);
      if (killedOptions == a) {
        nodeA = back;
      } else {
        nodeB = back;
      }
    } finally {
      writing.set(false);
      for (Future<?> writer : writers) {
        writer.get();
      }
      pool.shutdown();
    }

    // Each tick ran exactly once across both nodes; no node ever ran a tick another already had.
    List<Run> all = runs(since);
    assertTrue(all.size() >= 7, "runs: " + all);
    assertEquals(
        all.size(), all.stream().map(Run::fireMs).distinct().count(), "one row per tick: " + all);
    assertEquals(0, all.stream().mapToInt(Run::duplicates).sum(), "no tick fired twice: " + all);
    assertTrue(
        all.stream()
            .filter(r -> r.startedMs() > killedAt && r.startedMs() < restartedAt)
            .allMatch(r -> r.node().equals(survivor.options().nodeName())),
        "while one node is dead, the survivor runs every tick: " + all);

    // Every node's DuckDB copy is complete: both caught up, stopped, and compared to MariaDB.
    CopyCheck.awaitCaughtUp(nodeA, Duration.ofSeconds(60));
    CopyCheck.awaitCaughtUp(nodeB, Duration.ofSeconds(60));
    for (ServiceProcess node : List.of(nodeA, nodeB)) {
      int exit = node.stop(Duration.ofSeconds(30));
      assertTrue(exit == 0 || exit == 143, node.options().nodeName() + " exit " + exit);
    }
    List<Long> expected = new ArrayList<>(committed);
    expected.sort(Long::compare);
    assertEquals(expected, CopyCheck.mariaDbIds(appId));
    assertTrue(expected.size() > 100, "events written: " + expected.size());
    CopyCheck.assertExactCopy(a.duckDbFile(), appId, "cluster-a");
    CopyCheck.assertExactCopy(b.duckDbFile(), appId, "cluster-b");
  }

  private static ServiceProcess.Options options(String name, Path dataDir) {
    return ServiceProcess.options(name, dataDir)
        .clustered(true)
        .set("quartz.clusterCheckinIntervalMillis", Long.toString(CHECKIN_MS))
        .set("pipeline.noticeTrimInterval", TRIM_INTERVAL_MS + "ms");
  }

  private ServiceProcess start(ServiceProcess.Options options) {
    ServiceProcess node = ServiceProcess.start(options, START);
    synchronized (started) {
      started.add(node);
    }
    return node;
  }

  /** Waits for {@code count} runs started after {@code since} (by {@code node}, if given). */
  private static List<Run> awaitRuns(long since, int count, String node, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Run> runs = List.of();
    while (System.nanoTime() < deadline) {
      runs =
          runs(since).stream()
              .filter(r -> r.startedMs() >= since && (node == null || r.node().equals(node)))
              .toList();
      if (runs.size() >= count) {
        return runs;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "fewer than "
            + count
            + " runs of the cluster job"
            + (node == null ? "" : " on " + node)
            + " within "
            + timeout
            + ": "
            + runs(since));
  }

  private static List<Run> runs(long since) throws Exception {
    List<Run> runs = new ArrayList<>();
    try (Connection c = TestServers.get().connect();
        PreparedStatement ps =
            c.prepareStatement(
                """
                SELECT scheduled_fire_ms, node, started_at_ms, duplicate_fires
                FROM cluster_job_runs WHERE job_name = ? AND started_at_ms >= ?
                ORDER BY scheduled_fire_ms
                """)) {
      ps.setString(1, NoticeStreamTrimJob.NAME);
      ps.setLong(2, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          runs.add(new Run(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4)));
        }
      }
    }
    return runs;
  }
}
