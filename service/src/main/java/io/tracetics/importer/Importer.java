package io.tracetics.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.db.DatabaseFailures;
import io.tracetics.ids.AppId;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.IngestEvent;
import io.tracetics.ingest.ItemError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Loads a CSV or NDJSON file (gzip allowed, read by {@link FileRows}), or the rows of any other
 * {@link RowSource}, into one tracked app.
 *
 * <p>Every row becomes the API's event object ({@code event_name}, {@code user_identifier}, {@code
 * timestamp}, {@code event_id}, {@code metadata}) and goes through {@link EventParser#parseEvent},
 * the very validation of {@code POST /api/v1/events}; a refused row is written to the rejects file
 * with the API's error key and message. Valid events are stored by writer threads (one connection
 * each) in transactions of {@code batchSize} rows, each with one {@code ingest_batches} row whose
 * id the events carry, so the loader copies them into DuckDB like any ingested events.
 *
 * <p>De-duplication is the API's: an event id is stored once per app ({@code UNIQUE (app_id,
 * client_event_id)}); ids already stored are counted as duplicates, not inserted. The id is the
 * {@code --id-column}, else an {@code event_id} column when there is one; rows without an id get a
 * derived id, {@code import-}, the row's record number in the file (1-based, header not counted, 12
 * digits), {@code -} and 128 bits of SHA-256 over the row's validated content (user, event name,
 * event time in ms, metadata JSON) and that record number. Importing the same file again (also
 * compressed or not) therefore stores nothing new, while rows that are identical in content stay
 * distinct events.
 *
 * <p>Imported events are history, not live traffic: they do not count toward the tenant's monthly
 * quota ({@code usage_counters}).
 */
public final class Importer {
  /**
   * Progress callback: the estimated fraction done (the share of the source read, for a file its
   * bytes, scaled by the share of the rows read that are stored, duplicate or rejected) and the
   * rows done so far.
   */
  public interface Progress {
    void update(double fraction, long rows);
  }

  private static final int MAX_ATTEMPTS = 5;

  /** The id column used when none is named and the file has one: the API's field name. */
  static final String DEFAULT_ID_COLUMN = "event_id";

  private static final String ID_PREFIX = "import-";
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final List<IngestEvent> END = List.of();

  private final Jdbi jdbi;
  private final Clock clock;
  private final EventParser parser = new EventParser();
  private final ObjectMapper json = new ObjectMapper();

  public Importer(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** The app's tenant, or empty when the app does not exist or was deleted. */
  public Optional<Long> appTenant(long appId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tenant_id FROM tracked_apps WHERE id = :id AND deleted_at IS NULL")
                .bind("id", appId)
                .mapTo(Long.class)
                .findOne());
  }

  public ImportSummary run(ImportOptions options, Progress progress) {
    long started = System.nanoTime();
    requireApp(options.appId());
    Path rejectsPath = options.rejectsFile();
    try {
      Files.deleteIfExists(rejectsPath); // the rejects file describes the latest run only
    } catch (IOException e) {
      // a read-only directory: nothing stale to remove, and a new file would fail loudly later
    }
    try (FileRows rows = FileRows.open(options)) {
      return store(
          options.appId(),
          rows,
          options.batchSize(),
          options.writers(),
          rejectsPath,
          progress,
          started);
    } catch (IOException e) {
      throw new ImportException("Reading " + options.file() + " failed: " + e, e);
    }
  }

  /**
   * Imports the rows of any source into the app with the same validation, ids, batches and
   * de-duplication as a file. There is no rejects file: a row the API's rules refuse fails the
   * import (rows before it may be stored; a second run skips them).
   */
  public ImportSummary run(
      long appId, RowSource rows, int batchSize, int writers, Progress progress) {
    long started = System.nanoTime();
    ImportOptions.checkBatching(batchSize, writers);
    requireApp(appId);
    try {
      return store(appId, rows, batchSize, writers, null, progress, started);
    } catch (IOException e) {
      throw new ImportException("Reading the rows failed: " + e, e);
    }
  }

  private void requireApp(long appId) {
    if (appTenant(appId).isEmpty()) {
      throw new ImportException("App " + appId + " does not exist (or was deleted)");
    }
  }

  private ImportSummary store(
      long appId,
      RowSource rows,
      int batchSize,
      int writers,
      Path rejectsPath,
      Progress progress,
      long started)
      throws IOException {
    Run run = new Run(appId, rows, batchSize, writers, rejectsPath, progress);
    try {
      run.execute();
    } finally {
      run.closeRejects();
    }
    return new ImportSummary(
        run.rows,
        run.stored.get(),
        run.duplicates.get(),
        run.rejected,
        run.batches.get(),
        System.nanoTime() - started,
        run.rejected > 0 ? rejectsPath : null);
  }

  /** The state of one import: the reading side runs on the caller's thread. */
  private final class Run implements RowSource.Sink {
    final RowSource source;
    final int batchSize;
    final Path rejectsPath;
    final Progress progress;
    final AppId app;
    final long receivedAtMs = clock.millis();
    final MessageDigest sha256;
    final BlockingQueue<List<IngestEvent>> queue;
    final AtomicLong stored = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final int writerCount;
    final List<Thread> writers = new ArrayList<>();
    List<IngestEvent> chunk;
    BufferedWriter rejects;
    // Written by the reading thread only; read by writers for progress.
    volatile long rows;
    volatile long rejected;

    Run(
        long appId,
        RowSource source,
        int batchSize,
        int writerCount,
        Path rejectsPath,
        Progress progress) {
      this.source = source;
      this.batchSize = batchSize;
      this.writerCount = writerCount;
      this.rejectsPath = rejectsPath;
      this.progress = progress;
      this.app = AppId.of(appId);
      this.queue = new ArrayBlockingQueue<>(writerCount * 2);
      this.chunk = new ArrayList<>(batchSize);
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    void execute() throws IOException {
      for (int i = 0; i < writerCount; i++) {
        Thread thread = new Thread(this::writeLoop, "import-writer-" + i);
        thread.setDaemon(true);
        writers.add(thread);
        thread.start();
      }
      boolean finished = false;
      try {
        source.read(this);
        flushChunk();
        for (int i = 0; i < writers.size(); i++) {
          put(END);
        }
        for (Thread writer : writers) {
          join(writer);
        }
        finished = true;
      } finally {
        if (!finished) {
          writers.forEach(Thread::interrupt);
          writers.forEach(this::join);
        }
      }
      synchronized (this) {
        progress.update(1.0, stored.get() + duplicates.get() + rejected);
      }
      Throwable failed = failure.get();
      if (failed != null) {
        throw new ImportException("Writing to the database failed: " + failed, failed);
      }
    }

    /**
     * The bar follows the rows that are done (stored, duplicate or rejected): the fraction of the
     * source read, scaled by the share of the rows read so far that are done.
     */
    private synchronized void report() {
      long read = rows;
      long done = stored.get() + duplicates.get() + rejected;
      double fraction = read == 0 ? 0 : source.fractionRead() * Math.min(1.0, done / (double) read);
      progress.update(fraction, done);
    }

    private void join(Thread thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImportException("Interrupted", e);
      }
    }

    // ---- common

    /** Validates with the API's rules, derives the id when there is none, queues the event. */
    @Override
    public void row(ObjectNode node, long line, String raw) throws IOException {
      rows++;
      EventParser.Result result = parser.parseEvent(node, receivedAtMs);
      if (result instanceof EventParser.Invalid invalid) {
        rejectRow(line, invalid.error(), raw == null ? node.toString() : raw);
      } else {
        IngestEvent event = ((EventParser.Valid) result).event();
        if (event.clientEventId() == null) {
          event =
              new IngestEvent(
                  event.eventName(),
                  event.userIdentifier(),
                  event.metadataJson(),
                  event.eventTimeMs(),
                  event.receivedAtMs(),
                  null,
                  derivedId(event, rows));
        }
        chunk.add(event);
        if (chunk.size() >= batchSize) {
          flushChunk();
        }
      }
      if ((rows & 1023) == 0) {
        report();
      }
    }

    @Override
    public void reject(long line, ItemError error, String raw) throws IOException {
      rows++;
      rejectRow(line, error, raw);
      if ((rows & 1023) == 0) {
        report();
      }
    }

    private String derivedId(IngestEvent event, long record) {
      sha256.reset();
      update(event.userIdentifier());
      update(event.eventName());
      update(Long.toString(event.eventTimeMs()));
      update(event.metadataJson() == null ? "" : event.metadataJson());
      update(Long.toString(record));
      byte[] digest = sha256.digest();
      // import-<record, 12 digits>-<128 bits hex>: the record number first, so one import's ids
      // ascend and land at the end of the unique index instead of at random places in it.
      char[] out = new char[ID_PREFIX.length() + 12 + 1 + 32];
      ID_PREFIX.getChars(0, ID_PREFIX.length(), out, 0);
      int p = ID_PREFIX.length() + 12;
      for (long r = record; p > ID_PREFIX.length(); r /= 10) {
        out[--p] = (char) ('0' + r % 10);
      }
      p = ID_PREFIX.length() + 12;
      out[p++] = '-';
      for (int i = 0; i < 16; i++) {
        out[p++] = HEX[(digest[i] >> 4) & 0xf];
        out[p++] = HEX[digest[i] & 0xf];
      }
      return new String(out);
    }

    private void update(String value) {
      sha256.update(value.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
    }

    private void rejectRow(long line, ItemError error, String raw) throws IOException {
      rejected++;
      if (rejectsPath == null) {
        throw new ImportException(
            "Row " + line + " was refused (" + error.error() + "): " + error.message());
      }
      if (rejects == null) {
        try {
          rejects = Files.newBufferedWriter(rejectsPath, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new ImportException(
              "Cannot write the rejects file "
                  + rejectsPath
                  + " ("
                  + e
                  + "); choose one with --rejects",
              e);
        }
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("line", line);
      entry.put("error", error);
      entry.put("row", raw);
      rejects.write(json.writeValueAsString(entry));
      rejects.write('\n');
    }

    void closeRejects() {
      if (rejects != null) {
        try {
          rejects.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    private void flushChunk() {
      if (!chunk.isEmpty()) {
        put(chunk);
        chunk = new ArrayList<>(batchSize);
      }
    }

    private void put(List<IngestEvent> events) {
      try {
        while (!queue.offer(events, 100, TimeUnit.MILLISECONDS)) {
          if (failure.get() != null) {
            throw new ImportException(
                "Writing to the database failed: " + failure.get(), failure.get());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImportException("Interrupted", e);
      }
    }

    // ---- writing

    private void writeLoop() {
      try (Handle handle = jdbi.open();
          BatchWriter writer = new BatchWriter(handle.getConnection(), app.value(), clock)) {
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
          stored.addAndGet(inserted);
          duplicates.addAndGet(events.size() - inserted);
          if (inserted > 0) {
            batches.incrementAndGet();
          }
          report();
          return;
        } catch (SQLException e) {
          if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * A deadlock, or a row lock held too long (two writers, or a writer and live ingest, on the same
   * keys): run it again.
   */
  private static boolean isRetryable(Throwable e) {
    DatabaseFailures.Kind kind = DatabaseFailures.classify(e);
    return kind == DatabaseFailures.Kind.DEADLOCK || kind == DatabaseFailures.Kind.LOCK_TIMEOUT;
  }
}
