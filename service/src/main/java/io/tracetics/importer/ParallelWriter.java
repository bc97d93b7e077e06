package io.tracetics.importer;

import io.tracetics.db.DatabaseFailures;
import io.tracetics.ingest.IngestEvent;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Writer threads, one connection each, that store the batches handed to {@link #put} with a {@link
 * BatchWriter}, counting stored and duplicate events and batches. A deadlock or lock timeout (two
 * writers, or a writer and live ingest, on the same keys) runs the batch again, up to {@value
 * #MAX_ATTEMPTS} times; any other failure stops that writer and is kept for {@link #throwIfFailed},
 * and {@link #put} fails once it sees it.
 */
final class ParallelWriter {
  private static final int MAX_ATTEMPTS = 5;
  private static final List<IngestEvent> END = List.of();

  private final Jdbi jdbi;
  private final long appId;
  private final Clock clock;
  private final ImportCounts counts;
  private final Runnable afterBatch;
  private final BlockingQueue<List<IngestEvent>> queue;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  /**
   * @param writers the number of writer threads
   * @param afterBatch called on a writer thread after each batch
   */
  ParallelWriter(
      Jdbi jdbi, long appId, Clock clock, int writers, ImportCounts counts, Runnable afterBatch) {
    this.jdbi = jdbi;
    this.appId = appId;
    this.clock = clock;
    this.counts = counts;
    this.afterBatch = afterBatch;
    this.queue = new ArrayBlockingQueue<>(writers * 2);
    for (int i = 0; i < writers; i++) {
      Thread thread = new Thread(this::writeLoop, "import-writer-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  /**
   * Starts the writers, runs {@code producer} on this thread (it hands batches to {@link #put}),
   * then waits until the writers have stored every batch or stopped. If the producer fails, the
   * writers are interrupted and waited for before its exception propagates.
   */
  <E extends Exception> void writeAll(Producer<E> producer) throws E {
    threads.forEach(Thread::start);
    boolean finished = false;
    try {
      producer.produce();
      for (int i = 0; i < threads.size(); i++) {
        put(END);
      }
      threads.forEach(ParallelWriter::join);
      finished = true;
    } finally {
      if (!finished) {
        threads.forEach(Thread::interrupt);
        threads.forEach(ParallelWriter::join);
      }
    }
  }

  /** Queues a batch, waiting while the writers are busy. */
  void put(List<IngestEvent> events) {
    try {
      while (!queue.offer(events, 100, TimeUnit.MILLISECONDS)) {
        throwIfFailed();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImportException("Interrupted", e);
    }
  }

  /** An {@link ImportException} when a writer failed. */
  void throwIfFailed() {
    Throwable failed = failure.get();
    if (failed != null) {
      throw new ImportException("Writing to the database failed: " + failed, failed);
    }
  }

  /** What {@link #writeAll} runs on the calling thread. */
  interface Producer<E extends Exception> {
    void produce() throws E;
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImportException("Interrupted", e);
    }
  }

  private void writeLoop() {
    try (Handle handle = jdbi.open();
        BatchWriter writer = new BatchWriter(handle.getConnection(), appId, clock)) {
      while (true) {
        List<IngestEvent> events = queue.take();
        if (events == END) {
          return;
        }
        write(writer, events);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  private void write(BatchWriter writer, List<IngestEvent> events) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        int inserted = writer.write(events);
        counts.stored.addAndGet(inserted);
        counts.duplicates.addAndGet(events.size() - inserted);
        if (inserted > 0) {
          counts.batches.incrementAndGet();
        }
        afterBatch.run();
        return;
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) {
          throw e;
        }
      }
    }
  }

  /** A deadlock, or a row lock held too long: the batch can run again. */
  private static boolean isRetryable(Throwable e) {
    DatabaseFailures.Kind kind = DatabaseFailures.classify(e);
    return kind == DatabaseFailures.Kind.DEADLOCK || kind == DatabaseFailures.Kind.LOCK_TIMEOUT;
  }
}
