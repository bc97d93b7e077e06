package io.tracetics.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.testing.CopyCheck;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.Tenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGKILL of the service process while it loads, restart on the same DuckDB file, repeated: the
 * file ends with exactly MariaDB's events, none lost and none twice.
 */
class PipelineCrashIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final int WRITERS = 3;

  private final List<ServiceProcess> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(ServiceProcess::close);
  }

  @Test
  @Timeout(240)
  void sigkillDuringLoadingThenRestartLosesNothingAndDoublesNothing() throws Exception {
    Path dataDir =
        Files.createDirectories(Path.of("target", "it-processes"))
            .resolve("crash-" + System.currentTimeMillis())
            .toAbsolutePath();
    ServiceProcess.Options options = ServiceProcess.options("crash-node", dataDir);
    ServiceProcess node = start(options);
    long appId = Tenants.create(node.http()).appId();

    AtomicBoolean writing = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Long> committed = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(
          pool.submit(() -> EventWriter.writeUntilStopped(appId, writer, writing, committed)));
    }
    try {
      // Kill 1: once the node has loaded part of the stream (its position moved on).
      long first = position(node);
      awaitStatus(node, s -> loaderPosition(s) >= first + 5, "loaded 5 epochs");
      long killedAt1 = position(node);
      node.kill();
      awaitMoreWritten(committed, 50);

      // Kill 2: a new process on the same file, killed as soon as it loaded anything at all.
      node = start(options);
      long resumedAt = position(node);
      assertTrue(
          resumedAt >= killedAt1,
          "the restarted node resumes from its committed position, not before it: "
              + resumedAt
              + " < "
              + killedAt1);
      awaitStatus(node, s -> loaderPosition(s) > resumedAt, "loaded after restart");
      node.kill();
      awaitMoreWritten(committed, 50);

      // Kill 3: right after it answers its health check, before it has necessarily loaded.
      node = start(options);
      node.kill();
      awaitMoreWritten(committed, 50);

      node = start(options);
      awaitStatus(node, s -> loaderPosition(s) > 0, "loading again");
    } finally {
      writing.set(false);
      for (Future<?> writer : writers) {
        writer.get();
      }
      pool.shutdown();
    }

    JsonNode status = CopyCheck.awaitCaughtUp(node, Duration.ofSeconds(60));
    assertEquals(0, status.get("loader").get("epochs_behind").asLong(), status::toString);
    int exit = node.stop(Duration.ofSeconds(30));
    assertTrue(exit == 0 || exit == 143, "graceful stop (SIGTERM, hooks ran): exit " + exit);

    List<Long> expected = new ArrayList<>(committed);
    expected.sort(Long::compare);
    assertEquals(expected, CopyCheck.mariaDbIds(appId), "MariaDB holds what the writers committed");
    assertTrue(
        expected.size() > 200, "enough events to make the test meaningful: " + expected.size());
    CopyCheck.assertExactCopy(options.duckDbFile(), appId, "after three SIGKILLs");
  }

  private ServiceProcess start(ServiceProcess.Options options) {
    ServiceProcess node = ServiceProcess.start(options, START);
    started.add(node);
    return node;
  }

  private static void awaitMoreWritten(ConcurrentLinkedQueue<Long> committed, int more)
      throws InterruptedException {
    int target = committed.size() + more;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (committed.size() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("writers stalled at " + committed.size() + " events");
      }
      Thread.sleep(20);
    }
  }

  private static long position(ServiceProcess node) {
    return loaderPosition(node.pipelineStatus());
  }

  private static long loaderPosition(JsonNode status) {
    return status.get("loader").get("position").asLong();
  }

  private static JsonNode awaitStatus(
      ServiceProcess node, Predicate<JsonNode> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode status = null;
    while (System.nanoTime() < deadline) {
      status = node.pipelineStatus();
      if (condition.test(status)) {
        return status;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(what + " not reached; status " + status + "\n" + node.tail());
  }
}
