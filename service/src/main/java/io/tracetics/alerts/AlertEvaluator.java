package io.tracetics.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.funnels.FunnelRefreshListener;
import io.tracetics.funnels.FunnelService;
import io.tracetics.funnels.ReportParams;
import io.tracetics.funnels.ReportService;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Evaluates a funnel's alerts on its fresh report ({@link AlertEvaluation}) and makes their
 * transitions ({@link AlertTransitions}). A refresh runs on one node (the app's lease holder), but
 * two may overlap when a lease runs out mid-refresh and is taken over: a transition is a
 * compare-and-set on the alert's state and version, and the webhook's delivery row is inserted in
 * the same transaction, so exactly one node makes each transition and enqueues its one webhook. A
 * report older (by load position) than the last one evaluated changes nothing.
 */
public class AlertEvaluator implements FunnelRefreshListener {
  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final Clock clock;
  private ReportService reports;
  private Runnable enqueued = () -> {};

  public AlertEvaluator(Jdbi jdbi, ObjectMapper json, Clock clock) {
    this.jdbi = jdbi;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Listens to {@code reports}' refreshes, reads reports from it for a new alert's first
   * evaluation, and runs {@code enqueued} after each transition (the dispatcher's wake-up).
   */
  public void attach(ReportService reports, Runnable enqueued) {
    this.reports = reports;
    this.enqueued = enqueued;
    reports.addRefreshListener(this);
  }

  @Override
  public void refreshed(
      FunnelService.Loaded funnel,
      ObjectNode report,
      Supplier<Optional<ObjectNode>> previousPeriod) {
    evaluate(TenantId.of(funnel.row().tenantId()), funnel.row().id(), report, previousPeriod);
  }

  /** Evaluates the funnel's alerts on its current report (for an alert just created). */
  void evaluateNow(TenantId tenant, AppId app, long funnelId) {
    if (reports == null) {
      return;
    }
    ObjectNode report = reports.savedReport(tenant, app, funnelId, ReportParams.NONE);
    evaluate(
        tenant,
        funnelId,
        report,
        () -> {
          ObjectNode withPrevious =
              reports.savedReport(
                  tenant,
                  app,
                  funnelId,
                  ReportParams.NONE.withCompare(ReportParams.COMPARE_PREVIOUS));
          return Optional.ofNullable((ObjectNode) withPrevious.get("previous"));
        });
  }

  /** Evaluates every live alert of the funnel on {@code report}. */
  void evaluate(
      TenantId tenant,
      long funnelId,
      ObjectNode report,
      Supplier<Optional<ObjectNode>> previousPeriod) {
    List<AlertDao.AlertRow> alerts =
        jdbi.withExtension(AlertDao.class, dao -> dao.liveOfFunnel(tenant, funnelId));
    if (alerts.isEmpty()) {
      return;
    }
    long position = report.path("watermark").path("load_position").asLong();
    JsonNode previous = null;
    boolean previousRead = false;
    boolean anyEnqueued = false;
    for (AlertDao.AlertRow row : alerts) {
      if (row.evaluatedPosition() > position) {
        continue;
      }
      AlertDefinition definition = AlertService.definition(row);
      if (definition.condition().kind() == AlertDefinition.ConditionKind.DROP_PCT
          && !previousRead) {
        previous = previousPeriod.get().orElse(null);
        previousRead = true;
      }
      AlertEvaluation.Result result = AlertEvaluation.evaluate(definition, report, previous);
      anyEnqueued |= apply(tenant, row, result, report, position);
    }
    if (anyEnqueued) {
      enqueued.run();
    }
  }

  /** Records the evaluation, making the transition it calls for; whether a webhook was enqueued. */
  private boolean apply(
      TenantId tenant,
      AlertDao.AlertRow row,
      AlertEvaluation.Result result,
      ObjectNode report,
      long position) {
    long now = clock.millis();
    AlertTransitions.State state = AlertTransitions.State.fromWire(row.state());
    Optional<AlertTransitions.Event> event = AlertTransitions.next(state, result.outcome());
    if (event.isEmpty()) {
      jdbi.useExtension(
          AlertDao.class,
          dao ->
              dao.recordEvaluation(
                  tenant,
                  row.id(),
                  position,
                  result.outcome().wireName(),
                  result.value(),
                  result.entered(),
                  now));
      return false;
    }
    String payload = payload(row, event.get(), result, report);
    return jdbi.inTransaction(
        handle -> {
          AlertDao dao = handle.attach(AlertDao.class);
          int won =
              dao.transition(
                  tenant,
                  row.id(),
                  state.wireName(),
                  row.version(),
                  event.get().to().wireName(),
                  position,
                  result.outcome().wireName(),
                  result.value(),
                  result.entered(),
                  now);
          if (won != 1) {
            return false;
          }
          dao.insertDelivery(tenant, row.id(), event.get().wireName(), payload, now);
          return true;
        });
  }

  /** The webhook's body without {@code sent_at} (added at each attempt). */
  private String payload(
      AlertDao.AlertRow row,
      AlertTransitions.Event event,
      AlertEvaluation.Result result,
      ObjectNode report) {
    ObjectNode body = json.createObjectNode();
    AlertApi.Alert view = AlertService.view(row, null, null);
    ObjectNode alert = body.putObject("alert");
    alert.put("alert_id", view.alertId());
    alert.put("app_id", view.appId());
    alert.put("funnel_id", view.funnelId());
    if (view.name() == null) {
      alert.putNull("name");
    } else {
      alert.put("name", view.name());
    }
    alert.put("step", view.step());
    alert.put("metric", view.metric());
    alert.putObject("condition").put(row.conditionKind(), row.threshold());
    alert.put("min_entered", view.minEntered());
    alert.put("webhook_url", view.webhookUrl());
    body.put("event", event.wireName());
    body.put("state", event.to().wireName());
    putNumber(body, "value", result.value());
    body.put("entered", result.entered());
    if (result.previousValue() != null || result.dropPct() != null) {
      putNumber(body, "previous_value", result.previousValue());
      putNumber(body, "drop_pct", result.dropPct());
    }
    body.set("watermark", report.path("watermark").deepCopy());
    body.set("data_through", report.path("data_through").deepCopy());
    body.set("report", report);
    return write(body);
  }

  private static void putNumber(ObjectNode node, String field, Double value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  private String write(ObjectNode node) {
    try {
      return json.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
