package io.tracetics.funnels;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Funnel reports: served from the cached results while they are current, computed on this node's
 * DuckDB copy otherwise (and cached). A cached result is current when it was computed for the
 * funnel's present version and includes every load epoch that changed the app (events, identifies,
 * cohorts). Implements {@link LoadListener} so the pipeline refreshes saved funnels as events
 * arrive.
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

  /** How long saved funnels' recomputations take (for the pipeline status). */
  public Timer recomputeTimer() {
    return recompute;
  }

  /** Per app: the last load epoch (on this node) that changed it. */
  private final Map<Long, Long> appEpochs = new ConcurrentHashMap<>();

  /** Apps whose saved funnels wait to be refreshed; one worker drains them, coalescing bursts. */
  private final Set<Long> pendingApps = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final ExecutorService refresher;

  public ReportService(
      Jdbi jdbi,
      AnalyticsStore store,
      FunnelService funnels,
      ObjectMapper json,
      MetricRegistry metrics,
      ExecutorService refresher) {
    this.refresher = refresher;
    this.jdbi = jdbi;
    this.store = store;
    this.planner = new FunnelPlanner(store.nativeFunnel());
    this.funnels = funnels;
    this.json = json;
    this.recompute = metrics.timer("io.tracetics.reporting.recompute");
  }

  /** A saved funnel's report: cached when current, else computed now and cached. */
  public ObjectNode savedReport(TenantId tenant, AppId app, long funnelId, ReportParams params) {
    FunnelService.Loaded funnel = funnels.load(tenant, app, funnelId);
    FunnelQuery query = funnel.query(params);
    byte[] key = paramsHash(params);
    long needed = epochOf(app.value());
    Optional<FunnelResultDao.CachedResult> cached =
        jdbi.withExtension(FunnelResultDao.class, dao -> dao.find(funnelId, key));
    if (cached.isPresent()
        && cached.get().funnelVersion() == funnel.row().version()
        && cached.get().dataThroughSeq() >= needed) {
      ObjectNode report = parse(cached.get().result());
      report.put("cached", true);
      return report;
    }
    return computeAndStore(funnel, query, params, key);
  }

  /** A report for a definition that is not saved: always computed, never cached. */
  public ObjectNode adHocReport(AppId app, FunnelApi.Definition definition, ReportParams params) {
    FunnelQuery query =
        FunnelQueries.toQuery(app.value(), FunnelService.normalize(definition), params);
    long position = store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
    return ReportFormatter.format(json, execute(query), position);
  }

  /**
   * Called by the loader after each DuckDB commit: remembers which apps changed and refreshes their
   * saved funnels' default reports on the refresh worker, so loading never waits for funnels.
   */
  @Override
  public void loaded(Set<Long> appIds, long position) {
    for (long app : appIds) {
      appEpochs.merge(app, position, Math::max);
    }
    pendingApps.addAll(appIds);
    if (drainScheduled.compareAndSet(false, true)) {
      refresher.execute(this::drain);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    for (Long app : Set.copyOf(pendingApps)) {
      pendingApps.remove(app);
      for (FunnelService.Loaded funnel : funnels.liveOfApp(app)) {
        try {
          computeAndStore(
              funnel,
              funnel.query(ReportParams.NONE),
              ReportParams.NONE,
              paramsHash(ReportParams.NONE));
        } catch (RuntimeException e) {
          LOG.warn("Refreshing funnel {} of app {} failed", funnel.row().id(), app, e);
        }
      }
    }
    if (!pendingApps.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      refresher.execute(this::drain);
    }
  }

  private ObjectNode computeAndStore(
      FunnelService.Loaded funnel, FunnelQuery query, ReportParams params, byte[] key) {
    // Read the position before computing: the result includes at least this much (never less).
    long position = store.position(AnalyticsStores.EVENTS_STREAM).orElse(0);
    FunnelResult result = execute(query);
    ObjectNode report = ReportFormatter.format(json, result, position);
    String text = write(report);
    jdbi.useExtension(
        FunnelResultDao.class,
        dao ->
            dao.store(
                funnel.row().id(),
                key,
                funnel.row().version(),
                write(canonical(params)),
                text,
                result.computedAt().toEpochMilli(),
                position,
                result.dataThrough().newestReceivedAt().map(i -> i.toEpochMilli()).orElse(null)));
    return report;
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

  private static Map<String, String> canonical(ReportParams params) {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("from", params.from());
    map.put("to", params.to());
    map.put("breakdown", params.breakdown());
    map.put("interval", params.interval());
    map.put("mode", params.mode());
    return map;
  }

  private byte[] paramsHash(ReportParams params) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(write(canonical(params)).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
