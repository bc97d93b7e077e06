package io.tracetics.funnels;

import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.AppActivity;
import io.tracetics.ids.TenantId;
import io.tracetics.loader.SavedFunnelsLag;
import io.tracetics.loader.SavedFunnelsStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;

/** Reads the refresh leases for the pipeline's status pages. */
public class FunnelRefreshStatus implements SavedFunnelsStatus {
  private final Jdbi jdbi;
  private final AnalyticsStore store;
  private final SavedFunnelRefresher refresher;
  private final LongSupplier clock;

  public FunnelRefreshStatus(
      Jdbi jdbi, AnalyticsStore store, SavedFunnelRefresher refresher, LongSupplier clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.refresher = refresher;
    this.clock = clock;
  }

  @Override
  public Cluster cluster(int limit) {
    long now = clock.getAsLong();
    List<FunnelRefreshDao.Row> rows =
        jdbi.withExtension(FunnelRefreshDao.class, dao -> dao.lagging(limit));
    long behind = jdbi.withExtension(FunnelRefreshDao.class, FunnelRefreshDao::countBehind);
    Map<Long, AppActivity> loaded =
        store
            .activity(
                AnalyticsStores.EVENTS_STREAM,
                rows.stream().map(FunnelRefreshDao.Row::appId).toList(),
                Long.MAX_VALUE)
            .apps();
    return new Cluster(
        refresher.leaseMillis(),
        refresher.checkMillis(),
        refresher.refreshesOnThisNode(),
        behind,
        rows.stream()
            .map(
                row -> {
                  AppActivity activity = loaded.get(row.appId());
                  return new App(
                      row.appId(), lag(row, activity == null ? null : activity.events(), now));
                })
            .toList());
  }

  @Override
  public Map<Long, SavedFunnelsLag> ofTenant(TenantId tenant, Map<Long, Long> loadedEvents) {
    long now = clock.getAsLong();
    Map<Long, SavedFunnelsLag> lags = new HashMap<>();
    for (FunnelRefreshDao.Row row :
        jdbi.withExtension(FunnelRefreshDao.class, dao -> dao.ofTenant(tenant))) {
      lags.put(row.appId(), lag(row, loadedEvents.get(row.appId()), now));
    }
    return lags;
  }

  /**
   * One row as shown: the events behind are this copy's count minus the count the refreshing copy
   * had (never negative: this copy may be behind the refresh), unknown before the first refresh.
   */
  static SavedFunnelsLag lag(FunnelRefreshDao.Row row, Long loadedEvents, long nowMs) {
    boolean behind = row.wantedPosition() > row.refreshedPosition();
    Long eventsBehind =
        loadedEvents == null || row.refreshedEvents() == null
            ? null
            : Math.max(0, loadedEvents - row.refreshedEvents());
    if (!behind && eventsBehind != null) {
      // Up to date with every load recorded so far; what this copy holds beyond is not wanted yet.
      eventsBehind = 0L;
    }
    Long since = behind ? row.wantedAtMs() : null;
    return new SavedFunnelsLag(
        row.wantedPosition(),
        row.refreshedPosition(),
        Math.max(0, row.wantedPosition() - row.refreshedPosition()),
        eventsBehind,
        instant(since),
        since == null ? 0 : Math.max(0, nowMs - since),
        instant(row.refreshedAtMs()),
        row.refreshedBy(),
        row.refreshCount(),
        row.leaseNode(),
        instant(row.leaseExpiresAtMs()),
        row.leasePosition());
  }

  private static Instant instant(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms);
  }
}
