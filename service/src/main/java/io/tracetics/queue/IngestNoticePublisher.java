package io.tracetics.queue;

import com.codahale.metrics.Meter;
import io.dropwizard.lifecycle.Managed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.XAddParams;

/**
 * Posts one notice per committed ingest group to the Redis stream the loader reads ({@code XADD
 * <stream> MAXLEN ~ n * batch <ingest_batches.id> events <count> apps <id,id>}). Runs on its own
 * thread, off the requests' path, pipelining whatever is pending. The events are already durable in
 * MariaDB, so a notice that cannot be sent (Redis down, queue full) is dropped, counted and logged
 * at most every 30 s: the loader also scans MariaDB and catches up.
 */
public final class IngestNoticePublisher implements Managed, IngestNotices {
  private static final Logger LOG = LoggerFactory.getLogger(IngestNoticePublisher.class);
  private static final int QUEUE_CAPACITY = 10_000;
  private static final int MAX_PIPELINE = 1_000;
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** One committed group. */
  public record Notice(long batchId, int events, String apps) {}

  private final RedisClient redis;
  private final String stream;
  private final long maxLen;
  private final Meter published;
  private final Meter failures;
  private final BlockingQueue<Notice> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private volatile boolean running = true;
  private long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;

  public IngestNoticePublisher(
      RedisClient redis, String stream, long maxLen, Meter published, Meter failures) {
    this.redis = redis;
    this.stream = stream;
    this.maxLen = maxLen;
    this.published = published;
    this.failures = failures;
    this.thread = new Thread(this::run, "ingest-notices");
    this.thread.setDaemon(true);
  }

  /** Queues a notice; never blocks and never fails the caller. */
  @Override
  public void publish(Notice notice) {
    if (!queue.offer(notice)) {
      failures.mark();
      warn("Ingest notice queue full; dropping notice for batch " + notice.batchId(), null);
    }
  }

  @Override
  public void start() {
    thread.start();
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(5));
  }

  private void run() {
    List<Notice> pending = new ArrayList<>();
    while (running) {
      try {
        Notice first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        pending.add(first);
        queue.drainTo(pending, MAX_PIPELINE - 1);
        send(pending);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        pending.clear();
      }
    }
  }

  private void send(List<Notice> notices) {
    XAddParams params = XAddParams.xAddParams().maxLen(maxLen).approximateTrimming();
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (Notice notice : notices) {
        pipeline.xadd(
            stream,
            params,
            Map.of(
                "batch", Long.toString(notice.batchId()),
                "events", Integer.toString(notice.events()),
                "apps", notice.apps()));
      }
      pipeline.sync();
      published.mark(notices.size());
    } catch (RuntimeException e) {
      failures.mark(notices.size());
      warn("Redis unavailable; " + notices.size() + " ingest notice(s) not sent", e);
    }
  }

  private void warn(String message, RuntimeException e) {
    long now = System.nanoTime();
    synchronized (this) {
      if (now - lastWarnNanos < WARN_EVERY_NANOS) {
        return;
      }
      lastWarnNanos = now;
    }
    LOG.warn(
        "{} (events are stored; the loader falls back to scanning MariaDB){}",
        message,
        e == null ? "" : ": " + e);
  }
}
