package io.tracetics.alerts;

import io.tracetics.engine.query.Violation;
import io.tracetics.errors.ApiException;
import io.tracetics.funnels.FunnelQueries;
import io.tracetics.funnels.FunnelService;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.paging.Page;
import io.tracetics.paging.PageRequest;
import io.tracetics.tenancy.AppService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts of an app's saved funnels: created against a live funnel with a webhook target that may be
 * called, listed, read with their last evaluation and recent deliveries, deleted (which cancels
 * webhooks not sent yet). The secret that signs the webhooks is generated here and returned once.
 */
public class AlertService {
  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

  /** Deliveries shown when one alert is read. */
  static final int RECENT_DELIVERIES = 10;

  private final Jdbi jdbi;
  private final AppService apps;
  private final FunnelService funnels;
  private final WebhookTargets targets;
  private final AlertEvaluator evaluator;
  private final Clock clock;

  public AlertService(
      Jdbi jdbi,
      AppService apps,
      FunnelService funnels,
      WebhookTargets targets,
      AlertEvaluator evaluator,
      Clock clock) {
    this.jdbi = jdbi;
    this.apps = apps;
    this.funnels = funnels;
    this.targets = targets;
    this.evaluator = evaluator;
    this.clock = clock;
  }

  /**
   * Creates an alert in state {@code ok}; its first evaluation follows at once on the funnel's
   * current report (best effort: else at the next refresh).
   *
   * @throws ApiException 400 {@code invalid_alert} for the request's form or a webhook target that
   *     may not be called, 404 for an unknown app or funnel, 422 {@code invalid_alert} for a step
   *     the funnel does not have
   */
  public AlertApi.Alert create(TenantId tenant, AppId app, AlertApi.CreateRequest request) {
    apps.get(tenant, app);
    AlertDefinition definition = AlertRules.definition(request);
    FunnelService.Loaded funnel = funnels.load(tenant, app, definition.funnelId());
    AlertRules.againstFunnel(
        definition,
        funnel.definition().steps().size(),
        funnel.definition().from() != null && funnel.definition().to() != null);
    try {
      targets.check(definition.webhookUrl());
    } catch (WebhookTargets.RefusedTarget e) {
      throw FunnelQueries.invalid(
          400,
          "invalid_alert",
          List.of(new Violation("refused_webhook_url", "webhook_url", e.getMessage())));
    }
    String secret = WebhookSignature.newSecret();
    long id =
        jdbi.withExtension(
            AlertDao.class,
            dao ->
                dao.insert(
                    tenant,
                    app,
                    definition.funnelId(),
                    definition.name(),
                    definition.step(),
                    definition.metric().wireName(),
                    definition.condition().kind().wireName(),
                    definition.condition().threshold(),
                    definition.minEntered(),
                    definition.webhookUrl(),
                    secret,
                    clock.millis()));
    try {
      evaluator.evaluateNow(tenant, app, definition.funnelId());
    } catch (RuntimeException e) {
      LOG.warn("First evaluation of alert {} failed; the next refresh evaluates it", id, e);
    }
    AlertDao.AlertRow row = find(tenant, app, id);
    return view(row, secret, null);
  }

  /** A page of the app's alerts in id order. */
  public Page<AlertApi.Alert> page(TenantId tenant, AppId app, PageRequest request) {
    apps.get(tenant, app);
    return request
        .page(
            jdbi.withExtension(
                AlertDao.class, dao -> dao.page(tenant, app, request.afterId(), request.fetch())),
            AlertDao.AlertRow::id)
        .map(row -> view(row, null, null));
  }

  public List<AlertApi.Alert> list(TenantId tenant, AppId app) {
    apps.get(tenant, app);
    List<AlertApi.Alert> result = new ArrayList<>();
    for (AlertDao.AlertRow row : jdbi.withExtension(AlertDao.class, dao -> dao.list(tenant, app))) {
      result.add(view(row, null, null));
    }
    return result;
  }

  /** One alert with its last evaluation and its recent deliveries, newest first. */
  public AlertApi.Alert get(TenantId tenant, AppId app, long alertId) {
    apps.get(tenant, app);
    AlertDao.AlertRow row = find(tenant, app, alertId);
    return jdbi.withExtension(
        AlertDao.class,
        dao -> {
          List<AlertDao.DeliveryRow> deliveries =
              dao.recentDeliveries(tenant, alertId, RECENT_DELIVERIES);
          Map<Long, List<AlertApi.Attempt>> attempts = new LinkedHashMap<>();
          if (!deliveries.isEmpty()) {
            for (AlertDao.AttemptRow a :
                dao.attempts(tenant, deliveries.stream().map(AlertDao.DeliveryRow::id).toList())) {
              attempts
                  .computeIfAbsent(a.deliveryId(), k -> new ArrayList<>())
                  .add(
                      new AlertApi.Attempt(
                          a.attempt(),
                          Instant.ofEpochMilli(a.atMs()),
                          a.statusCode(),
                          a.error(),
                          a.durationMs(),
                          instant(a.nextRetryMs())));
            }
          }
          List<AlertApi.Delivery> views = new ArrayList<>();
          for (AlertDao.DeliveryRow d : deliveries) {
            views.add(
                new AlertApi.Delivery(
                    d.id(),
                    d.event(),
                    d.status(),
                    Instant.ofEpochMilli(d.createdAtMs()),
                    instant(d.finishedAtMs()),
                    d.status().equals("pending") ? Instant.ofEpochMilli(d.nextAttemptMs()) : null,
                    attempts.getOrDefault(d.id(), List.of())));
          }
          return view(row, null, views);
        });
  }

  /** Deletes the alert; its webhooks not sent yet are cancelled. */
  public void delete(TenantId tenant, AppId app, long alertId) {
    apps.get(tenant, app);
    jdbi.useTransaction(
        handle -> {
          AlertDao dao = handle.attach(AlertDao.class);
          long now = clock.millis();
          if (dao.softDelete(tenant, app, alertId, now) == 0) {
            throw ApiException.notFound("Alert", alertId);
          }
          dao.cancelPending(tenant, alertId, now);
        });
  }

  private AlertDao.AlertRow find(TenantId tenant, AppId app, long alertId) {
    return jdbi.withExtension(AlertDao.class, dao -> dao.find(tenant, app, alertId))
        .orElseThrow(() -> ApiException.notFound("Alert", alertId));
  }

  /** The definition a stored alert holds. */
  static AlertDefinition definition(AlertDao.AlertRow row) {
    return new AlertDefinition(
        row.name(),
        row.funnelId(),
        row.step(),
        AlertDefinition.Metric.fromWire(row.metric()).orElseThrow(),
        new AlertDefinition.Condition(
            AlertDefinition.ConditionKind.fromWire(row.conditionKind()).orElseThrow(),
            row.threshold()),
        row.minEntered(),
        row.webhookUrl());
  }

  /** The API's view of an alert ({@code secret} only for its creation). */
  static AlertApi.Alert view(
      AlertDao.AlertRow row, String secret, List<AlertApi.Delivery> deliveries) {
    AlertApi.Evaluation last =
        row.lastEvaluatedAtMs() == null
            ? null
            : new AlertApi.Evaluation(
                row.lastOutcome(),
                row.lastValue(),
                row.lastEntered(),
                Instant.ofEpochMilli(row.lastEvaluatedAtMs()));
    return new AlertApi.Alert(
        row.id(),
        row.appId(),
        row.funnelId(),
        row.name(),
        row.step(),
        row.metric(),
        Map.of(row.conditionKind(), row.threshold()),
        row.minEntered(),
        row.webhookUrl(),
        row.state(),
        Instant.ofEpochMilli(row.createdAtMs()),
        last,
        secret,
        deliveries);
  }

  private static Instant instant(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms);
  }
}
