package io.tracetics.loader;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One run of the load job: load what is committed, then keep loading as notices arrive until the
 * run's time budget is spent. Without Redis it falls back to polling MariaDB's epochs on its own.
 */
public class PipelineRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
  private static final int FALLBACK_POLL_MILLIS = 200;
  private static final int MAX_NOTICES = 1_000;

  private final BatchLoader loader;
  private final NoticeConsumer notices;
  private final LoaderMetrics metrics;
  private final int noticeWaitMillis;
  private final int minLoadSpacingMillis;
  private final LongSupplier clock;
  private long lastLoadAt = Long.MIN_VALUE / 2;
  private final List<StreamEntryID> unacknowledged = new ArrayList<>();
  private boolean redisDown;

  public PipelineRunner(
      BatchLoader loader,
      NoticeConsumer notices,
      LoaderMetrics metrics,
      int noticeWaitMillis,
      int minLoadSpacingMillis,
      LongSupplier clock) {
    this.loader = loader;
    this.notices = notices;
    this.metrics = metrics;
    this.noticeWaitMillis = noticeWaitMillis;
    this.minLoadSpacingMillis = minLoadSpacingMillis;
    this.clock = clock;
  }

  /** Runs until {@code budgetMillis} have passed. */
  public synchronized void runFor(long budgetMillis) throws InterruptedException {
    long deadline = clock.getAsLong() + budgetMillis;
    redis(() -> unacknowledged.addAll(notices.reclaim(MAX_NOTICES)));
    BatchLoader.RunResult result = loadAndAck();
    while (clock.getAsLong() < deadline && !Thread.currentThread().isInterrupted()) {
      if (!result.caughtUp() && result.epochs() > 0) {
        result = loadAndAck();
        continue;
      }
      long remaining = deadline - clock.getAsLong();
      if (remaining <= 0) {
        break;
      }
      int wait = (int) Math.min(remaining, noticeWaitMillis);
      List<StreamEntryID> arrived = new ArrayList<>();
      boolean ok = redis(() -> arrived.addAll(notices.poll(wait, MAX_NOTICES)));
      if (!ok) {
        Thread.sleep(Math.min(remaining, FALLBACK_POLL_MILLIS));
      }
      unacknowledged.addAll(arrived);
      if (!ok || !arrived.isEmpty() || !result.caughtUp()) {
        // Under a steady stream of notices, wait out the spacing so that one load takes what
        // arrives meanwhile instead of one small load (and DuckDB commit) per ingest commit.
        long spacing = lastLoadAt + minLoadSpacingMillis - clock.getAsLong();
        if (spacing > 0) {
          Thread.sleep(Math.min(spacing, Math.max(0, deadline - clock.getAsLong())));
        }
        result = loadAndAck();
      }
    }
  }

  private BatchLoader.RunResult loadAndAck() {
    lastLoadAt = clock.getAsLong();
    BatchLoader.RunResult result = loader.runOnce();
    if (result.caughtUp() && !unacknowledged.isEmpty()) {
      List<StreamEntryID> done = new ArrayList<>(unacknowledged);
      if (redis(() -> notices.ack(done))) {
        unacknowledged.removeAll(done);
      }
    }
    return result;
  }

  /** Runs a Redis action; on failure counts it, logs once per outage and returns false. */
  private boolean redis(Runnable action) {
    if (notices == null) {
      return false;
    }
    try {
      action.run();
      if (redisDown) {
        LOG.info("Redis is back: the loader follows the notice stream again");
        redisDown = false;
      }
      return true;
    } catch (JedisException e) {
      metrics.redisFailures.inc();
      notices.reset();
      if (!redisDown) {
        LOG.warn(
            "Redis unavailable ({}): the loader polls MariaDB until it returns", e.getMessage());
        redisDown = true;
      }
      return false;
    }
  }

  public boolean redisDown() {
    return redisDown;
  }
}
