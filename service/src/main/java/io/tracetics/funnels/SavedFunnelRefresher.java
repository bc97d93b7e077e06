package io.tracetics.funnels;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.AppActivity;
import io.tracetics.engine.store.StoreActivity;
import io.tracetics.loader.LoadListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes saved funnels once per cluster and app after loads, under a per-app lease in MariaDB
 * ({@link FunnelRefreshDao}; whether to take it: {@link RefreshLeaseRule}).
 *
 * <p>After each load this node records, for each app it changed, that the app's saved funnels want
 * refreshing up to the load's position, then tries to take the app's lease and refresh on its own
 * copy. Every {@code refreshCheckInterval} it also looks for apps left behind with a free or
 * expired lease (their holder died) and tries them. One worker thread refreshes one app at a time,
 * the apps waiting taking turns; bursts coalesce: loads during a refresh leave the app wanted
 * beyond what it refreshes, so one more refresh follows, not one per load. A second thread renews
 * the held lease every third of its lifetime and, when a renewal finds it lost, stops the refresh,
 * which then records nothing.
 */
public class SavedFunnelRefresher implements LoadListener, Managed {
  private static final Logger LOG = LoggerFactory.getLogger(SavedFunnelRefresher.class);
  private static final int DUE_BATCH = 100;

  private final Jdbi jdbi;
  private final AnalyticsStore store;
  private final ReportService reports;
  private final String node;
  private final String owner;
  private final long leaseMillis;
  private final long checkMillis;
  private final long delayMillis;
  private final LongSupplier clock;
  private final Counter appRefreshes;
  private final Counter leasesLost;

  /** Per app, the highest load position not yet recorded as wanted (MariaDB was unreachable). */
  private final Map<Long, Long> unrecordedWants = new ConcurrentHashMap<>();

  /** Apps to try on the worker. */
  private final Set<Long> pendingApps = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(daemon("funnel-refresh"));
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(daemon("funnel-refresh-lease"));

  /** The lease this node holds while it refreshes, if any. */
  private volatile Held held;

  private volatile boolean stopping;

  private record Held(long appId, AtomicBoolean lost) {}

  /**
   * @param node this node's name, shown as the lease holder
   * @param owner this process's unique lease owner name
   */
  public SavedFunnelRefresher(
      Jdbi jdbi,
      AnalyticsStore store,
      ReportService reports,
      FunnelsConfig config,
      String node,
      String owner,
      MetricRegistry metrics,
      LongSupplier clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.reports = reports;
    this.node = node;
    this.owner = owner;
    this.leaseMillis = config.refreshLeaseTtl.toMilliseconds();
    this.checkMillis = config.refreshCheckInterval.toMilliseconds();
    this.delayMillis = config.refreshDelayForTests.toMilliseconds();
    this.clock = clock;
    this.appRefreshes = metrics.counter("io.tracetics.reporting.app_refreshes");
    this.leasesLost = metrics.counter("io.tracetics.reporting.refresh_leases_lost");
  }

  /** Refreshes of an app's saved funnels this node finished (and recorded). */
  public long refreshesOnThisNode() {
    return appRefreshes.getCount();
  }

  public long leaseMillis() {
    return leaseMillis;
  }

  public long checkMillis() {
    return checkMillis;
  }

  @Override
  public void start() {
    ticker.scheduleWithFixedDelay(this::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    long renewEvery = Math.max(100, leaseMillis / 3);
    ticker.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    // A refresh in progress stops after its current funnel and gives the lease back, so another
    // node takes over at once instead of after the lease runs out.
    stopping = true;
    ticker.shutdownNow();
    worker.shutdown();
    if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
      worker.shutdownNow();
    }
  }

  /** Called by the loader after each DuckDB commit, on the loader's thread. */
  @Override
  public void loaded(Set<Long> appIds, long position) {
    for (long app : appIds) {
      unrecordedWants.merge(app, position, Math::max);
    }
    recordWants();
    pendingApps.addAll(appIds);
    scheduleDrain();
  }

  /** Records the wanted positions not recorded yet; on failure they wait for the next check. */
  private synchronized void recordWants() {
    if (unrecordedWants.isEmpty()) {
      return;
    }
    Map<Long, Long> wants = new TreeMap<>(unrecordedWants);
    try {
      jdbi.useExtension(
          FunnelRefreshDao.class,
          dao ->
              dao.want(
                  new ArrayList<>(wants.keySet()),
                  new ArrayList<>(wants.values()),
                  clock.getAsLong()));
      wants.forEach(unrecordedWants::remove);
    } catch (RuntimeException e) {
      LOG.warn("Recording saved funnels to refresh failed; retrying at the next check", e);
    }
  }

  /** Every check interval: apps behind whose lease is free or expired (a dead holder's). */
  private void check() {
    try {
      recordWants();
      List<Long> due =
          jdbi.withExtension(FunnelRefreshDao.class, dao -> dao.due(clock.getAsLong(), DUE_BATCH));
      if (!due.isEmpty()) {
        pendingApps.addAll(due);
        scheduleDrain();
      }
    } catch (RuntimeException e) {
      LOG.warn("Looking for saved funnels to refresh failed", e);
    }
  }

  /** Every third of the lease's lifetime: extends the lease held, or marks it lost. */
  private void renew() {
    Held current = held;
    if (current == null) {
      return;
    }
    try {
      int renewed =
          jdbi.withExtension(
              FunnelRefreshDao.class,
              dao -> dao.renew(current.appId(), owner, clock.getAsLong() + leaseMillis));
      if (renewed == 0) {
        current.lost().set(true);
      }
    } catch (RuntimeException e) {
      // Not lost yet: the lease holds until it expires; the next renewal tries again.
      LOG.warn("Renewing the refresh lease of app {} failed", current.appId(), e);
    }
  }

  private void scheduleDrain() {
    if (!stopping && drainScheduled.compareAndSet(false, true)) {
      try {
        worker.execute(this::drain);
      } catch (RejectedExecutionException e) {
        drainScheduled.set(false);
      }
    }
  }

  private void drain() {
    drainScheduled.set(false);
    for (Long app : Set.copyOf(pendingApps)) {
      if (stopping) {
        return;
      }
      pendingApps.remove(app);
      try {
        if (refreshIfDue(app)) {
          // Loads during the refresh may have left more wanted: look again on the next pass, after
          // the other apps waiting here had their turn.
          pendingApps.add(app);
        }
      } catch (RuntimeException e) {
        LOG.warn("Refreshing the saved funnels of app {} failed", app, e);
      }
    }
    if (!pendingApps.isEmpty()) {
      scheduleDrain();
    }
  }

  /** Refreshes the app if this node should now; whether it refreshed (and recorded it). */
  private boolean refreshIfDue(long app) {
    Optional<FunnelRefreshDao.Row> row =
        jdbi.withExtension(FunnelRefreshDao.class, dao -> dao.find(app));
    if (row.isEmpty()) {
      return false;
    }
    long position = store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
    long now = clock.getAsLong();
    RefreshLeaseRule.Outcome outcome =
        RefreshLeaseRule.decide(row.get().state(), owner, position, now, leaseMillis);
    if (!outcome.claims()) {
      return false;
    }
    int claimed =
        jdbi.withExtension(
            FunnelRefreshDao.class,
            dao -> dao.claim(app, owner, node, position, now, now + leaseMillis));
    return claimed == 1 && refresh(app, row.get().wantedPosition());
  }

  /** Refreshes the app's saved funnels under the lease just taken; whether it was recorded. */
  private boolean refresh(long app, long coveredWanted) {
    Held current = new Held(app, new AtomicBoolean());
    held = current;
    try {
      // The position and the app's event count from one snapshot; every funnel computed after it
      // includes at least that position, so it is what the refresh may record, never more.
      StoreActivity snapshot =
          store.activity(AnalyticsStores.EVENTS_STREAM, List.of(app), Long.MAX_VALUE);
      long position = snapshot.position().orElse(0);
      AppActivity activity = snapshot.apps().get(app);
      long startedAt = clock.getAsLong();
      reports.refreshSaved(app, () -> !stopping && !current.lost().get(), this::delayForTests);
      if (current.lost().get()) {
        leasesLost.inc();
        LOG.warn("Lost the refresh lease of app {} while refreshing; another node took it", app);
        return false;
      }
      if (stopping) {
        release(app);
        return false;
      }
      int finished =
          jdbi.withExtension(
              FunnelRefreshDao.class,
              dao ->
                  dao.finish(
                      app,
                      owner,
                      node,
                      position,
                      activity == null ? 0 : activity.events(),
                      coveredWanted,
                      startedAt,
                      clock.getAsLong()));
      if (finished == 0) {
        leasesLost.inc();
        LOG.warn("The refresh lease of app {} ran out before the refresh was recorded", app);
        return false;
      }
      appRefreshes.inc();
      return true;
    } catch (RuntimeException e) {
      release(app);
      throw e;
    } finally {
      held = null;
    }
  }

  private void release(long app) {
    try {
      jdbi.useExtension(FunnelRefreshDao.class, dao -> dao.release(app, owner));
    } catch (RuntimeException e) {
      LOG.warn("Releasing the refresh lease of app {} failed; it runs out by itself", app, e);
    }
  }

  private void delayForTests() {
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
