package io.tracetics.funnels;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.engine.exec.FunnelExecutor;
import io.tracetics.engine.exec.FunnelResult;
import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.loader.LoadListener;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Funnel reports: served from the cached results while they are current, computed on this node's
 * DuckDB copy otherwise (and cached). A cached result is current when it was computed for the
 * funnel's present version and includes every load epoch that changed the app (events, identifies,
 * cohorts). Implements {@link LoadListener} to know which load changed each app on this node.
 */
public class ReportService implements LoadListener {
  private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);

  private final Jdbi jdbi;
  private final AnalyticsStore store;
  private final FunnelService funnels;
  private final ObjectMapper json;
  private final FunnelPlanner planner;
  private final FunnelExecutor executor = new FunnelExecutor();
  private final Timer recompute;
  private final Counter savedRefreshes;

  /** How long saved funnels' recomputations take (for the pipeline status). */
  public Timer recomputeTimer() {
    return recompute;
  }

  /** Per app: the last load epoch (on this node) that changed it. */
  private final Map<Long, Long> appEpochs = new ConcurrentHashMap<>();

  /** Told after each refresh of a saved funnel (alerts evaluate there). */
  private final List<FunnelRefreshListener> refreshListeners = new CopyOnWriteArrayList<>();

  public ReportService(
      Jdbi jdbi,
      AnalyticsStore store,
      FunnelService funnels,
      ObjectMapper json,
      MetricRegistry metrics) {
    this.jdbi = jdbi;
    this.store = store;
    this.planner = new FunnelPlanner(store.nativeFunnel());
    this.funnels = funnels;
    this.json = json;
    this.recompute = metrics.timer("io.tracetics.reporting.recompute");
    this.savedRefreshes = metrics.counter("io.tracetics.reporting.saved_funnel_refreshes");
  }

  /**
   * A saved funnel's report: cached when current, else computed now and cached. With {@code
   * compare=previous} the comparison is cached under its own key, and its two periods' reports each
   * under theirs (the previous period's is the report of that range, as if asked for it).
   */
  public ObjectNode savedReport(TenantId tenant, AppId app, long funnelId, ReportParams params) {
    FunnelService.Loaded funnel = funnels.load(tenant, app, funnelId);
    FunnelQuery query = funnel.query(params);
    long needed = epochOf(app.value());
    if (!params.comparesPrevious()) {
      return cachedOrComputed(funnel, query, params, needed);
    }
    ReportCacheKey key = ReportCacheKey.of(json, params);
    Optional<ObjectNode> cached = cached(funnel, key, needed);
    if (cached.isPresent()) {
      return cached.get();
    }
    ReportComparison.Range range = range(query);
    ReportParams alone = params.withCompare(null);
    ReportParams before = previousRange(alone, range);
    ObjectNode current = cachedOrComputed(funnel, query, alone, needed);
    ObjectNode previous = cachedOrComputed(funnel, funnel.query(before), before, needed);
    boolean currentCached = current.get("cached").asBoolean();
    boolean previousCached = previous.get("cached").asBoolean();
    ObjectNode report = ReportComparison.compare(current, previous, range);
    markCached(report, false);
    store(
        funnel,
        key,
        report,
        Math.min(computedAtMs(current), computedAtMs(previous)),
        Math.min(loadPosition(current), loadPosition(previous)),
        dataThroughMs(current));
    // As answered now: cached when both periods came from the cache.
    report.put("cached", currentCached && previousCached);
    previous.put("cached", previousCached);
    return report;
  }

  /** Adds a listener told after each refresh of a saved funnel, on the refreshing thread. */
  public void addRefreshListener(FunnelRefreshListener listener) {
    refreshListeners.add(listener);
  }

  /**
   * The default report of the period of the same length before a saved funnel's range (cached like
   * any report); empty when the funnel does not save both {@code from} and {@code to}.
   */
  public Optional<ObjectNode> previousPeriodReport(FunnelService.Loaded funnel) {
    if (funnel.definition().from() == null || funnel.definition().to() == null) {
      return Optional.empty();
    }
    ReportParams before = previousRange(ReportParams.NONE, range(funnel.query(ReportParams.NONE)));
    return Optional.of(
        cachedOrComputed(funnel, funnel.query(before), before, epochOf(funnel.row().appId())));
  }

  /** A report for a definition that is not saved: always computed, never cached. */
  public ObjectNode adHocReport(AppId app, FunnelApi.Definition definition, ReportParams params) {
    FunnelApi.Definition normalized = FunnelService.normalize(definition);
    FunnelQuery query = FunnelQueries.toQuery(app.value(), normalized, params);
    ObjectNode report = live(query);
    if (!params.comparesPrevious()) {
      return report;
    }
    ReportComparison.Range range = range(query);
    FunnelQuery before =
        FunnelQueries.toQuery(
            app.value(), normalized, previousRange(params.withCompare(null), range));
    return ReportComparison.compare(report, live(before), range);
  }

  private ObjectNode live(FunnelQuery query) {
    long position = store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
    return ReportFormatter.format(json, execute(query), position);
  }

  /** The entry range of a query that compares (both ends given: checked by FunnelQueries). */
  private static ReportComparison.Range range(FunnelQuery query) {
    return new ReportComparison.Range(query.from().orElseThrow(), query.to().orElseThrow());
  }

  /** {@code params} over the range before {@code range}. */
  private static ReportParams previousRange(ReportParams params, ReportComparison.Range range) {
    ReportComparison.Range before = range.previous();
    return params.withRange(before.from().toString(), before.to().toString());
  }

  /**
   * Called by the loader after each DuckDB commit: remembers which apps changed on this node, so a
   * cached report counts as current only when it includes them. Refreshing the saved funnels is
   * {@link SavedFunnelRefresher}'s, once per cluster.
   */
  @Override
  public void loaded(Set<Long> appIds, long position) {
    for (long app : appIds) {
      appEpochs.merge(app, position, Math::max);
    }
  }

  /**
   * Recomputes the default report of each live saved funnel of {@code appId} on this node's copy,
   * caches it and tells the refresh listeners; stops early when {@code keepGoing} turns false (the
   * lease was lost). A funnel that fails is logged and skipped (a request recomputes it). Returns
   * how many funnels were refreshed.
   */
  public int refreshSaved(long appId, BooleanSupplier keepGoing, Runnable beforeEach) {
    int refreshed = 0;
    for (FunnelService.Loaded funnel : funnels.liveOfApp(appId)) {
      if (!keepGoing.getAsBoolean()) {
        break;
      }
      beforeEach.run();
      ObjectNode report;
      try {
        report =
            computeAndStore(
                funnel,
                funnel.query(ReportParams.NONE),
                ReportCacheKey.of(json, ReportParams.NONE));
      } catch (RuntimeException e) {
        LOG.warn("Refreshing funnel {} of app {} failed", funnel.row().id(), appId, e);
        continue;
      }
      refreshed++;
      savedRefreshes.inc();
      for (FunnelRefreshListener listener : refreshListeners) {
        try {
          listener.refreshed(funnel, report.deepCopy(), () -> previousPeriodReport(funnel));
        } catch (RuntimeException e) {
          LOG.warn("After refreshing funnel {} of app {}", funnel.row().id(), appId, e);
        }
      }
    }
    return refreshed;
  }

  /** The report of {@code params}: from the cache when current, else computed and cached. */
  private ObjectNode cachedOrComputed(
      FunnelService.Loaded funnel, FunnelQuery query, ReportParams params, long needed) {
    ReportCacheKey key = ReportCacheKey.of(json, params);
    return cached(funnel, key, needed).orElseGet(() -> computeAndStore(funnel, query, key));
  }

  /**
   * The cached report under {@code key} when it is current: computed for the funnel's present
   * version and including load position {@code needed}.
   */
  private Optional<ObjectNode> cached(
      FunnelService.Loaded funnel, ReportCacheKey key, long needed) {
    Optional<FunnelResultDao.CachedResult> cached =
        jdbi.withExtension(FunnelResultDao.class, dao -> dao.find(funnel.row().id(), key.hash()));
    if (cached.isPresent()
        && cached.get().funnelVersion() == funnel.row().version()
        && cached.get().dataThroughSeq() >= needed) {
      ObjectNode report = parse(cached.get().result());
      markCached(report, true);
      return Optional.of(report);
    }
    return Optional.empty();
  }

  private ObjectNode computeAndStore(
      FunnelService.Loaded funnel, FunnelQuery query, ReportCacheKey key) {
    // Read the position before computing: the result includes at least this much (never less).
    long position = store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
    FunnelResult result = execute(query);
    ObjectNode report = ReportFormatter.format(json, result, position);
    store(
        funnel,
        key,
        report,
        result.computedAt().toEpochMilli(),
        position,
        result.dataThrough().newestReceivedAt().map(i -> i.toEpochMilli()).orElse(null));
    return report;
  }

  private void store(
      FunnelService.Loaded funnel,
      ReportCacheKey key,
      ObjectNode report,
      long computedAtMs,
      long position,
      Long dataThroughMs) {
    String text = write(report);
    jdbi.useExtension(
        FunnelResultDao.class,
        dao ->
            dao.store(
                funnel.row().id(),
                key.hash(),
                funnel.row().version(),
                key.params(),
                text,
                computedAtMs,
                position,
                dataThroughMs));
  }

  /** Sets {@code cached} on a report and on its previous period's, if it has one. */
  private static void markCached(ObjectNode report, boolean cached) {
    report.put("cached", cached);
    if (report.get("previous") instanceof ObjectNode previous) {
      previous.put("cached", cached);
    }
  }

  private static long computedAtMs(ObjectNode report) {
    return Instant.parse(report.get("computed_at").asText()).toEpochMilli();
  }

  private static long loadPosition(ObjectNode report) {
    return report.get("watermark").get("load_position").asLong();
  }

  private static Long dataThroughMs(ObjectNode report) {
    JsonNode through = report.get("data_through");
    return through == null || through.isNull()
        ? null
        : Instant.parse(through.asText()).toEpochMilli();
  }

  private FunnelResult execute(FunnelQuery query) {
    try (Timer.Context ignored = recompute.time()) {
      return executor.execute(store, planner.plan(query));
    }
  }

  private long epochOf(long appId) {
    Long epoch = appEpochs.get(appId);
    // Unknown since this node started: only results as fresh as everything loaded are current.
    return epoch != null ? epoch : store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode parse(String text) {
    try {
      return (ObjectNode) json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cached report is unreadable", e);
    }
  }
}
