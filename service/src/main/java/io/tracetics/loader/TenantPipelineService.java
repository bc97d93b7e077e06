package io.tracetics.loader;

import com.codahale.metrics.Snapshot;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.AppActivity;
import io.tracetics.engine.store.StoreActivity;
import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.AppRow;
import io.tracetics.tenancy.AppService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What a tenant may see of the pipeline, with its management token: its own apps' ingest rate,
 * backlog, lag and quarantined events on this node, plus the shared loader's health (lag, failed
 * and retried batches, queue depth), but nothing about other tenants' apps.
 *
 * <p>Exact counts, cheap to ask for every few seconds: the backlog comes from MariaDB starting at
 * the batches this node has not loaded; what is loaded comes from this node's DuckDB copy. "Events
 * in the last minute" = loaded ones received in that minute + waiting ones received in it.
 */
public class TenantPipelineService {
  private static final long MINUTE_MS = 60_000;

  private final String nodeName;
  private final LoaderMetrics loader;
  private final NoticeConsumer notices;
  private final Jdbi jdbi;
  private final AppService apps;
  private final AnalyticsStore store;
  private final SavedFunnelsStatus savedFunnels;
  private final Clock clock;

  public TenantPipelineService(
      String nodeName,
      LoaderMetrics loader,
      NoticeConsumer notices,
      Jdbi jdbi,
      AppService apps,
      AnalyticsStore store,
      SavedFunnelsStatus savedFunnels,
      Clock clock) {
    this.nodeName = nodeName;
    this.loader = loader;
    this.notices = notices;
    this.jdbi = jdbi;
    this.apps = apps;
    this.store = store;
    this.savedFunnels = savedFunnels;
    this.clock = clock;
  }

  public Status status(TenantId tenant) {
    long now = clock.millis();
    long since = now - MINUTE_MS;
    List<AppRow> rows = apps.list(tenant);
    // The loaded counts and the position come from one DuckDB snapshot, and the backlog is what
    // MariaDB holds after that position: an event that is loading right now is counted once.
    StoreActivity snapshot =
        store.activity(
            AnalyticsStores.EVENTS_STREAM,
            rows.stream().map(app -> app.id().value()).toList(),
            since);
    long position = snapshot.position().orElse(0);
    Map<Long, TenantPipelineDao.Backlog> backlog = new HashMap<>();
    Map<Long, Long> quarantined = new HashMap<>();
    long unsequenced =
        jdbi.withHandle(
            handle -> {
              TenantPipelineDao dao = handle.attach(TenantPipelineDao.class);
              dao.backlog(tenant, position, since).forEach(b -> backlog.put(b.appId(), b));
              dao.quarantined(tenant).forEach(q -> quarantined.put(q.appId(), q.events()));
              return handle.attach(LoaderDao.class).countUnsequenced();
            });

    Map<Long, Long> loadedEvents = new HashMap<>();
    snapshot.apps().forEach((appId, loaded) -> loadedEvents.put(appId, loaded.events()));
    Map<Long, SavedFunnelsLag> lags = savedFunnels.ofTenant(tenant, loadedEvents);

    List<AppStatus> appStatuses = new ArrayList<>();
    long waitingTotal = 0;
    long lastMinuteTotal = 0;
    Map<Long, AppActivity> activity = snapshot.apps();
    for (AppRow app : rows) {
      long appId = app.id().value();
      AppActivity loaded = activity.get(appId);
      TenantPipelineDao.Backlog waiting = backlog.get(appId);
      long waitingEvents = waiting == null ? 0 : waiting.waiting();
      long lastMinute = loaded.receivedSince() + (waiting == null ? 0 : waiting.receivedSince());
      waitingTotal += waitingEvents;
      lastMinuteTotal += lastMinute;
      appStatuses.add(
          new AppStatus(
              appId,
              app.name(),
              loaded.events(),
              waitingEvents,
              quarantined.getOrDefault(appId, 0L),
              lastMinute,
              loaded.newestReceivedAt().orElse(null),
              waiting == null ? null : Instant.ofEpochMilli(waiting.oldestReceivedAtMs()),
              waiting == null ? 0 : Math.max(0, now - waiting.oldestReceivedAtMs()),
              lags.get(appId)));
    }

    long latest = loader.latestEpoch();
    Snapshot lag = loader.lagMillis().getSnapshot();
    long last = loader.lastSuccessMillis();
    return new Status(
        nodeName,
        Instant.ofEpochMilli(now),
        new Ingest(lastMinuteTotal, round(lastMinuteTotal / 60.0)),
        new Queue(waitingTotal, unsequenced, Math.max(0, latest - position), redis()),
        new Loader(
            position,
            new Lag(round(lag.getMedian()), round(lag.get95thPercentile()), lag.getMax()),
            last == 0 ? null : Instant.ofEpochMilli(last),
            loader.failedLoads(),
            loader.retries()),
        appStatuses);
  }

  private String redis() {
    if (notices == null) {
      return "not configured";
    }
    try {
      notices.streamLength();
      return "up";
    } catch (JedisException e) {
      return "unavailable";
    }
  }

  private static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }

  /** {@code GET /api/v1/tenant/pipeline}. */
  public record Status(
      @JsonProperty("node") String node,
      @JsonProperty("generated_at") Instant generatedAt,
      @JsonProperty("ingest") Ingest ingest,
      @JsonProperty("queue") Queue queue,
      @JsonProperty("loader") Loader loader,
      @JsonProperty("apps") List<AppStatus> apps) {
    /** The same status showing only the apps that pass the test. */
    public Status onlyApps(java.util.function.Predicate<AppStatus> visible) {
      return new Status(
          node, generatedAt, ingest, queue, loader, apps.stream().filter(visible).toList());
    }
  }

  /** The tenant's events received in the last minute (all nodes), and that as a rate. */
  public record Ingest(
      @JsonProperty("events_last_minute") long eventsLastMinute,
      @JsonProperty("per_second_1m") double perSecond) {}

  /**
   * The tenant's events waiting for this node's loader; and the shared queue: committed batches
   * without an epoch yet, epochs this node has not loaded, Redis.
   */
  public record Queue(
      @JsonProperty("waiting_events") long waitingEvents,
      @JsonProperty("unsequenced_batches") long unsequencedBatches,
      @JsonProperty("epochs_behind") long epochsBehind,
      @JsonProperty("redis") String redis) {}

  /** This node's loader: acknowledged-to-visible lag over the last minute, failures. */
  public record Loader(
      @JsonProperty("position") long position,
      @JsonProperty("lag_ms") Lag lagMs,
      @JsonProperty("last_success_at") Instant lastSuccessAt,
      @JsonProperty("failed_batches") long failedBatches,
      @JsonProperty("retried_batches") long retriedBatches) {}

  public record Lag(
      @JsonProperty("p50") double p50,
      @JsonProperty("p95") double p95,
      @JsonProperty("max") long max) {}

  /**
   * One app: loaded into this node's copy, still waiting, quarantined, and how late; {@code
   * saved_funnels}: how far its saved funnels' cached reports lag behind the loads (null until
   * events of the app were first loaded).
   */
  public record AppStatus(
      @JsonProperty("app_id") long appId,
      @JsonProperty("name") String name,
      @JsonProperty("loaded_events") long loadedEvents,
      @JsonProperty("waiting_events") long waitingEvents,
      @JsonProperty("quarantined_events") long quarantinedEvents,
      @JsonProperty("events_last_minute") long eventsLastMinute,
      @JsonProperty("loaded_through") Instant loadedThrough,
      @JsonProperty("oldest_waiting_at") Instant oldestWaitingAt,
      @JsonProperty("lag_ms") long lagMs,
      @JsonProperty("saved_funnels") SavedFunnelsLag savedFunnels) {}
}
