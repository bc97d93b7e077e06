package io.tracetics.importer;

import io.tracetics.errors.ApiException;
import io.tracetics.identity.Identify;
import io.tracetics.identity.IdentifyResult;
import io.tracetics.identity.IdentifyService;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.ingest.EventParser;
import io.tracetics.queue.IngestNotices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * Loads a CSV or NDJSON file or a tool's event export ({@link ImportPreset}; gzip allowed, read by
 * {@link FileRows}), or the rows of any other {@link RowSource}, into one tracked app.
 *
 * <p>Every row becomes the API's event object ({@code event_name}, {@code user_identifier}, {@code
 * timestamp}, {@code event_id}, {@code metadata}; {@link RowMapper}) and goes through {@link
 * EventParser#parseEvent}, the very validation of {@code POST /api/v1/events} ({@link ImportSink});
 * a refused row is written to the {@link RejectsFile} with the API's error key and message. Valid
 * events are stored by writer threads ({@link ParallelWriter}) in transactions of {@code batchSize}
 * rows, each with one {@code ingest_batches} row whose id the events carry, so the loader copies
 * them into DuckDB like any ingested events.
 *
 * <p>De-duplication is the API's: an event id is stored once per app ({@code UNIQUE (app_id,
 * client_event_id)}); ids already stored are counted as duplicates, not inserted. The id is the
 * {@code --id-column}, else an {@code event_id} column when there is one; rows without an id get a
 * {@link DerivedEventId}, so importing the same file again (also compressed or not) stores nothing
 * new.
 *
 * <p>Imported events are history, not live traffic: they do not count toward the tenant's monthly
 * quota ({@code usage_counters}).
 *
 * <p>Identifies (a preset's identify and alias records, and the links its events imply) are stored
 * by the {@link IdentifyService}, in file order on the reading thread, with the API's validation,
 * idempotency ids ({@link DerivedIdentifyId} when a record has none) and link rule; like imported
 * events they are history and do not count toward the monthly quota.
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

  /** The id column used when none is named and the file has one: the API's field name. */
  static final String DEFAULT_ID_COLUMN = "event_id";

  /** How long an identify batch waits for the tenant's usage lock, as live ingest's default. */
  private static final long IDENTIFY_LOCK_WAIT_SECONDS = 5;

  private final Jdbi jdbi;
  private final Clock clock;
  private final IdentifyService identifies;

  public Importer(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.identifies =
        new IdentifyService(jdbi, IngestNotices.NONE, clock, IDENTIFY_LOCK_WAIT_SECONDS, false);
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
    long tenant = requireApp(options.appId());
    RejectsFile rejects = RejectsFile.replacing(options.rejectsFile());
    try (FileRows rows = FileRows.open(options)) {
      return store(
          tenant,
          options.appId(),
          rows,
          options.batchSize(),
          options.writers(),
          rejects,
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
    long tenant = requireApp(appId);
    try {
      return store(tenant, appId, rows, batchSize, writers, null, progress, started);
    } catch (IOException e) {
      throw new ImportException("Reading the rows failed: " + e, e);
    }
  }

  /** The app's tenant; an {@link ImportException} when there is no such app. */
  private long requireApp(long appId) {
    return appTenant(appId)
        .orElseThrow(
            () -> new ImportException("App " + appId + " does not exist (or was deleted)"));
  }

  /**
   * The app's identify store for the sink: a request that fails as a whole (the monthly quota used
   * up, the database unavailable) stops the import with the service's reason.
   */
  private Function<List<Identify>, List<IdentifyResult>> identifyStore(long tenant, long appId) {
    TenantId tenantId = TenantId.of(tenant);
    AppId app = AppId.of(appId);
    return items -> {
      try {
        return identifies.store(tenantId, app, items);
      } catch (ApiException e) {
        throw new ImportException(
            "Storing identifies failed ("
                + e.error()
                + "): "
                + e.getMessage()
                + ". What was stored before stays; run the import again later: stored rows and"
                + " identifies are skipped",
            e);
      }
    };
  }

  /** Reads the source on this thread while the writers store its batches. */
  private ImportSummary store(
      long tenant,
      long appId,
      RowSource source,
      int batchSize,
      int writers,
      RejectsFile rejects,
      Progress progress,
      long started)
      throws IOException {
    ImportCounts counts = new ImportCounts();
    ImportProgress report = new ImportProgress(progress, source::fractionRead, counts);
    ParallelWriter writer = new ParallelWriter(jdbi, appId, clock, writers, counts, report::report);
    ImportSink sink =
        new ImportSink(
            clock.millis(),
            batchSize,
            rejects,
            counts,
            writer::put,
            identifyStore(tenant, appId),
            report::report);
    try {
      writer.writeAll(
          () -> {
            source.read(sink);
            sink.flush();
          });
    } finally {
      close(rejects);
    }
    report.finish();
    writer.throwIfFailed();
    boolean refused = counts.rejected > 0 || counts.identifiesRefused > 0;
    Path rejectsPath = refused && rejects != null ? rejects.path() : null;
    return new ImportSummary(
        counts.rows,
        counts.stored.get(),
        counts.duplicates.get(),
        counts.rejected,
        new ImportSummary.Identifies(
            counts.identifiesStored, counts.identifiesDuplicate, counts.identifiesRefused),
        counts.skipped,
        counts.skipReasons,
        counts.batches.get(),
        System.nanoTime() - started,
        rejectsPath);
  }

  private static void close(RejectsFile rejects) {
    if (rejects != null) {
      try {
        rejects.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
