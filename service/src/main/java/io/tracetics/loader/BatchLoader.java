package io.tracetics.loader;

import com.codahale.metrics.Timer;
import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.CohortChange;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import io.tracetics.engine.store.LoadResult;
import io.tracetics.engine.store.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed events from MariaDB into this node's DuckDB, one commit epoch at a time (see
 * {@link Sequencer} for why epochs make this exactly once).
 *
 * <p>Each epoch is loaded in one DuckDB transaction together with the load position (the epoch
 * number), so a crash at any moment leaves either the whole epoch and its position or neither; the
 * store also skips event ids it already holds. A failing epoch is retried with exponential backoff;
 * after {@code attemptsBeforeIsolation} failures its rows are loaded one by one and the ones that
 * still fail are quarantined with their reason, so they no longer block the rows behind them. Rows
 * that can never be queried (metadata that is not a JSON object) are quarantined before loading.
 */
public class BatchLoader {
  private static final Logger LOG = LoggerFactory.getLogger(BatchLoader.class);

  /** Rows per epoch whose lag goes into the lag histogram (evenly spread over the epoch). */
  static final int LAG_SAMPLES = 64;

  private final Jdbi jdbi;
  private final AnalyticsStore store;
  private final Sequencer sequencer;
  private final PipelineConfig config;
  private final LoaderMetrics metrics;
  private final List<LoadListener> listeners;
  private final LongSupplier clock;

  private long failingEpoch = -1;
  private int failures;
  private long retryAtMillis;

  public BatchLoader(
      Jdbi jdbi,
      AnalyticsStore store,
      PipelineConfig config,
      LoaderMetrics metrics,
      List<LoadListener> listeners,
      LongSupplier clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.config = config;
    this.metrics = metrics;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    this.sequencer = new Sequencer(jdbi, config.maxEventsPerEpoch, clock);
    if (store.position(AnalyticsStores.EVENTS_STREAM).isEmpty()
        && config.startAt == PipelineConfig.StartAt.LATEST) {
      long latest = jdbi.withExtension(LoaderDao.class, LoaderDao::lastSeq);
      store.load(AnalyticsStores.EVENTS_STREAM, latest, List.of());
      LOG.info("Empty analytic store starts at the latest epoch {} (pipeline.startAt)", latest);
    }
    this.metrics.position.set(store.position(AnalyticsStores.EVENTS_STREAM).orElse(0));
  }

  /** One pass: sequence what committed, then load the next epochs. Returns what it did. */
  public synchronized RunResult runOnce() {
    long latest = sequencer.sequence(config.maxEpochsPerRun);
    metrics.latestEpoch.set(latest);
    long position = store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
    metrics.position.set(position);
    if (latest <= position) {
      metrics.lastSuccessMillis.set(clock.getAsLong());
      return new RunResult(0, 0, position, latest, Set.of());
    }
    if (failingEpoch > position && clock.getAsLong() < retryAtMillis) {
      return new RunResult(0, 0, position, latest, Set.of());
    }
    List<Long> epochs =
        jdbi.withExtension(
            LoaderDao.class, dao -> dao.epochsAfter(position, latest, config.maxEpochsPerRun));
    Set<Long> apps = new LinkedHashSet<>();
    int loadedEpochs = 0;
    long loadedEvents = 0;
    long current = position;
    for (long epoch : epochs) {
      try {
        long events = loadEpoch(epoch, apps);
        loadedEpochs++;
        loadedEvents += events;
        current = epoch;
        clearFailure();
      } catch (RuntimeException e) {
        recordFailure(epoch, e);
        break;
      }
    }
    metrics.position.set(current);
    if (loadedEpochs > 0) {
      metrics.lastSuccessMillis.set(clock.getAsLong());
      for (LoadListener listener : listeners) {
        try {
          listener.loaded(Set.copyOf(apps), current);
        } catch (RuntimeException e) {
          LOG.warn("Load listener {} failed", listener.getClass().getSimpleName(), e);
        }
      }
    }
    return new RunResult(loadedEpochs, loadedEvents, current, latest, apps);
  }

  private long loadEpoch(long epoch, Set<Long> apps) {
    try (Timer.Context ignored = metrics.epochDuration.time()) {
      List<SourceEvent> source =
          jdbi.withExtension(LoaderDao.class, dao -> dao.eventsOfEpoch(epoch));
      List<IdentityLink> links =
          jdbi.withExtension(LoaderDao.class, dao -> dao.identifiesOfEpoch(epoch));
      List<CohortChange> cohorts = jdbi.withExtension(LoaderDao.class, dao -> cohorts(dao, epoch));
      List<EventRow> rows = new ArrayList<>(source.size());
      for (SourceEvent event : source) {
        String problem = problem(event);
        if (problem != null) {
          quarantine(event, problem);
        } else {
          rows.add(event.toRow());
        }
      }
      if (failingEpoch == epoch && failures >= config.attemptsBeforeIsolation) {
        rows = isolateBadRows(epoch, rows);
      }
      LoadResult result =
          store.load(
              AnalyticsStores.EVENTS_STREAM,
              epoch,
              rows,
              links,
              cohorts,
              rejected -> quarantineRejected(source, rejected));
      links.forEach(link -> apps.add(link.appId()));
      // A cohort change changes the reports of funnels restricted by it.
      cohorts.forEach(change -> apps.add(change.appId()));
      long now = clock.getAsLong();
      // Lag from a sample of at most LAG_SAMPLES rows spread over the epoch: a histogram update
      // per row cost the loader about a tenth of its Java time under full ingest.
      int stride = Math.max(1, (rows.size() + LAG_SAMPLES - 1) / LAG_SAMPLES);
      for (int i = 0; i < rows.size(); i++) {
        EventRow row = rows.get(i);
        apps.add(row.appId());
        if (i % stride == 0) {
          metrics.lagMillis.update(Math.max(0, now - row.receivedAtMillis()));
        }
      }
      int loaded = rows.size() - result.rejected().size();
      metrics.epochEvents.update(loaded);
      metrics.eventsLoaded.mark(loaded);
      metrics.epochsLoaded.inc();
      return loaded;
    }
  }

  /** The cohort changes of an epoch, in order, creations with their members. */
  private static List<CohortChange> cohorts(LoaderDao dao, long epoch) {
    List<CohortChange> changes = new ArrayList<>();
    for (LoaderDao.CohortChangeRow row : dao.cohortChangesOfEpoch(epoch)) {
      changes.add(
          "delete".equals(row.kind())
              ? CohortChange.deleted(row.appId(), row.cohortId())
              : CohortChange.created(
                  row.appId(), row.cohortId(), dao.cohortMembers(row.cohortId())));
    }
    return changes;
  }

  /**
   * Loads rows one by one (without advancing the position); returns those that loaded. First proves
   * the store itself works (an empty load commits), so a broken disk or DuckDB never quarantines
   * good rows.
   */
  private List<EventRow> isolateBadRows(long epoch, List<EventRow> rows) {
    long before = epoch - 1;
    store.load(AnalyticsStores.EVENTS_STREAM, before, List.of());
    List<EventRow> good = new ArrayList<>(rows.size());
    for (EventRow row : rows) {
      try {
        store.load(AnalyticsStores.EVENTS_STREAM, before, List.of(row));
        good.add(row);
      } catch (StoreException e) {
        quarantine(
            new SourceEvent(
                row.id(),
                row.appId(),
                row.userIdentifier(),
                row.eventName(),
                row.eventTimeMillis(),
                row.receivedAtMillis(),
                row.metadataJson()),
            "load into DuckDB failed: " + rootMessage(e));
      }
    }
    return good;
  }

  static String problem(SourceEvent event) {
    if (event.userIdentifier() == null || event.userIdentifier().isEmpty()) {
      return "empty user_identifier";
    }
    if (event.eventName() == null || event.eventName().isEmpty()) {
      return "empty event_name";
    }
    return null;
  }

  /**
   * Quarantines the rows the store leaves out of a load (metadata that is not a JSON object: the
   * store checks it on the whole batch, in DuckDB). Runs inside the load, before its commit: if a
   * write fails, the load rolls back and the epoch is retried, so every row is either loaded or
   * quarantined. A quarantine that committed before a failed load is not repeated: the retry no
   * longer reads the row (LoaderDao.eventsOfEpoch), and the write is idempotent anyway.
   */
  private void quarantineRejected(List<SourceEvent> source, Map<Long, String> rejected) {
    for (SourceEvent event : source) {
      String reason = rejected.get(event.id());
      if (reason != null) {
        quarantine(event, reason);
      }
    }
  }

  private void quarantine(SourceEvent event, String reason) {
    String bounded = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
    jdbi.useExtension(LoaderDao.class, dao -> dao.quarantine(event.id(), event.appId(), bounded));
    metrics.quarantinedRows.inc();
    LOG.warn("Quarantined event {} of app {}: {}", event.id(), event.appId(), bounded);
  }

  private void recordFailure(long epoch, RuntimeException e) {
    metrics.failedLoads.inc();
    if (failingEpoch == epoch) {
      failures++;
      metrics.retries.inc();
    } else {
      failingEpoch = epoch;
      failures = 1;
    }
    long backoff =
        Math.min(
            config.retryMaxBackoff.toMilliseconds(),
            config.retryInitialBackoff.toMilliseconds() << Math.min(20, failures - 1));
    retryAtMillis = clock.getAsLong() + backoff;
    LOG.warn(
        "Loading epoch {} failed (attempt {}), retrying in {} ms: {}",
        epoch,
        failures,
        backoff,
        rootMessage(e));
  }

  private void clearFailure() {
    failingEpoch = -1;
    failures = 0;
    retryAtMillis = 0;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** What one pass did. */
  public record RunResult(
      int epochs, long events, long position, long latestEpoch, Set<Long> appIds) {
    public boolean caughtUp() {
      return position >= latestEpoch;
    }
  }
}
