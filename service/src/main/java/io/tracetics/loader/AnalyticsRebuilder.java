package io.tracetics.loader;

import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Recreates a node's DuckDB file from MariaDB: loads every commit epoch into a fresh file beside
 * the old one with the normal loader (same validation, same quarantine), then swaps it in. The old
 * file must not be open (the server stopped): DuckDB's lock on it is checked first.
 */
public class AnalyticsRebuilder {
  /** Told about progress as epochs load. */
  public interface Progress {
    void update(long eventsLoaded, long eventsTotal);
  }

  private final Jdbi jdbi;
  private final PipelineConfig pipeline;

  public AnalyticsRebuilder(Jdbi jdbi, PipelineConfig pipeline) {
    this.jdbi = jdbi;
    this.pipeline = pipeline;
  }

  /** Returns the number of events in the rebuilt file. */
  public long rebuild(StoreConfig target, Progress progress) {
    Path file =
        target.file().orElseThrow(() -> new IllegalArgumentException("a file store is needed"));
    if (Files.exists(file)) {
      // Fails with DuckDB's lock error while a server has the file open.
      AnalyticsStore.open(target).close();
    }
    Path fresh = file.resolveSibling(file.getFileName() + ".rebuild");
    deleteWithWal(fresh);
    StoreConfig freshConfig =
        new StoreConfig(
            Optional.of(fresh),
            target.memoryLimit(),
            target.threads(),
            target.tempDirectory(),
            target.nativeFunnel(),
            target.nativeFunnelMemory());
    long total;
    long loaded = 0;
    try (AnalyticsStore store = AnalyticsStore.open(freshConfig)) {
      BatchLoader loader =
          new BatchLoader(
              jdbi,
              store,
              pipeline,
              new LoaderMetrics(new com.codahale.metrics.MetricRegistry()),
              List.of(),
              System::currentTimeMillis);
      BatchLoader.RunResult result = loader.runOnce();
      total = eventsThrough(result.latestEpoch());
      loaded += result.events();
      progress.update(loaded, total);
      while (!result.caughtUp()) {
        if (result.epochs() == 0) {
          throw new IllegalStateException(
              "Rebuild stalled at epoch " + result.position() + "; see the log for the failure");
        }
        result = loader.runOnce();
        loaded += result.events();
        progress.update(loaded, Math.max(total, loaded));
      }
    }
    try {
      deleteWithWal(file);
      Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot move " + fresh + " to " + file, e);
    }
    return loaded;
  }

  private long eventsThrough(long epoch) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT COALESCE(SUM(event_count), 0) FROM ingest_batches WHERE seq <= :seq")
                .bind("seq", epoch)
                .mapTo(Long.class)
                .one());
  }

  private static void deleteWithWal(Path file) {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + file, e);
    }
  }
}
