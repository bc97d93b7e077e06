package io.tracetics.alerts;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Alerts, their state and their deliveries as the API and the evaluation see them, in MariaDB. The
 * secret is read by the sender alone ({@link DeliveryDao}): no row here carries it.
 */
@RegisterConstructorMapper(AlertDao.AlertRow.class)
@RegisterConstructorMapper(AlertDao.DeliveryRow.class)
@RegisterConstructorMapper(AlertDao.AttemptRow.class)
public interface AlertDao {

  /** An alert without its secret. */
  record AlertRow(
      long id,
      long tenantId,
      long appId,
      long funnelId,
      String name,
      int step,
      String metric,
      String conditionKind,
      double threshold,
      long minEntered,
      String webhookUrl,
      String state,
      int version,
      long evaluatedPosition,
      String lastOutcome,
      Double lastValue,
      Long lastEntered,
      Long lastEvaluatedAtMs,
      long createdAtMs) {}

  record DeliveryRow(
      long id,
      String event,
      String status,
      int attempts,
      long nextAttemptMs,
      long createdAtMs,
      Long finishedAtMs) {}

  record AttemptRow(
      long deliveryId,
      int attempt,
      long atMs,
      Integer statusCode,
      String error,
      long durationMs,
      Long nextRetryMs) {}

  @SqlUpdate(
      """
      INSERT INTO alerts (tenant_id, app_id, funnel_id, name, step, metric, condition_kind,
                          threshold, min_entered, webhook_url, secret, created_at_ms)
      VALUES (:tenantId, :appId, :funnelId, :name, :step, :metric, :kind, :threshold, :minEntered,
              :url, :secret, :now)
      """)
  @GetGeneratedKeys("id")
  long insert(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("funnelId") long funnelId,
      @Bind("name") String name,
      @Bind("step") int step,
      @Bind("metric") String metric,
      @Bind("kind") String conditionKind,
      @Bind("threshold") double threshold,
      @Bind("minEntered") long minEntered,
      @Bind("url") String webhookUrl,
      @Bind("secret") String secret,
      @Bind("now") long nowMs);

  String COLUMNS =
      "SELECT id, tenant_id, app_id, funnel_id, name, step, metric, condition_kind, threshold,"
          + " min_entered, webhook_url, state, version, evaluated_position, last_outcome,"
          + " last_value, last_entered, last_evaluated_at_ms, created_at_ms FROM alerts";

  @SqlQuery(
      COLUMNS
          + " WHERE tenant_id = :tenantId AND app_id = :appId AND id = :id"
          + " AND deleted_at_ms IS NULL")
  Optional<AlertRow> find(
      @Bind("tenantId") TenantId tenant, @Bind("appId") AppId app, @Bind("id") long id);

  @SqlQuery(
      COLUMNS
          + " WHERE tenant_id = :tenantId AND app_id = :appId AND deleted_at_ms IS NULL ORDER BY id")
  List<AlertRow> list(@Bind("tenantId") TenantId tenant, @Bind("appId") AppId app);

  @SqlQuery(
      COLUMNS
          + " WHERE tenant_id = :tenantId AND app_id = :appId AND deleted_at_ms IS NULL"
          + " AND id > :afterId ORDER BY id LIMIT :limit")
  List<AlertRow> page(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("afterId") long afterId,
      @Bind("limit") int limit);

  @SqlQuery(
      COLUMNS
          + " WHERE tenant_id = :tenantId AND funnel_id = :funnelId AND deleted_at_ms IS NULL"
          + " ORDER BY id")
  List<AlertRow> liveOfFunnel(@Bind("tenantId") TenantId tenant, @Bind("funnelId") long funnelId);

  @SqlUpdate(
      """
      UPDATE alerts SET deleted_at_ms = :now
      WHERE tenant_id = :tenantId AND app_id = :appId AND id = :id AND deleted_at_ms IS NULL
      """)
  int softDelete(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("id") long id,
      @Bind("now") long nowMs);

  /** Webhooks of a deleted alert that were not sent yet are not sent any more. */
  @SqlUpdate(
      """
      UPDATE alert_deliveries SET status = 'cancelled', finished_at_ms = :now
      WHERE tenant_id = :tenantId AND alert_id = :alertId AND status = 'pending'
      """)
  int cancelPending(
      @Bind("tenantId") TenantId tenant, @Bind("alertId") long alertId, @Bind("now") long nowMs);

  /**
   * Records an evaluation that changes no state, unless a report at a later load position was
   * evaluated already (a node whose copy lags behind).
   */
  @SqlUpdate(
      """
      UPDATE alerts SET evaluated_position = :position, last_outcome = :outcome,
                        last_value = :value, last_entered = :entered, last_evaluated_at_ms = :now
      WHERE tenant_id = :tenantId AND id = :id AND deleted_at_ms IS NULL
        AND evaluated_position <= :position
      """)
  int recordEvaluation(
      @Bind("tenantId") TenantId tenant,
      @Bind("id") long id,
      @Bind("position") long position,
      @Bind("outcome") String outcome,
      @Bind("value") Double value,
      @Bind("entered") long entered,
      @Bind("now") long nowMs);

  /**
   * The transition as a compare-and-set: it changes the state only when the row still has the state
   * and version that were read and no later report was evaluated. 1 for the one caller that made
   * the transition, 0 for every other.
   */
  @SqlUpdate(
      """
      UPDATE alerts SET state = :to, version = version + 1, evaluated_position = :position,
                        last_outcome = :outcome, last_value = :value, last_entered = :entered,
                        last_evaluated_at_ms = :now
      WHERE tenant_id = :tenantId AND id = :id AND deleted_at_ms IS NULL
        AND state = :from AND version = :version AND evaluated_position <= :position
      """)
  int transition(
      @Bind("tenantId") TenantId tenant,
      @Bind("id") long id,
      @Bind("from") String from,
      @Bind("version") int version,
      @Bind("to") String to,
      @Bind("position") long position,
      @Bind("outcome") String outcome,
      @Bind("value") Double value,
      @Bind("entered") long entered,
      @Bind("now") long nowMs);

  @SqlUpdate(
      """
      INSERT INTO alert_deliveries (tenant_id, alert_id, event, payload, next_attempt_ms,
                                    created_at_ms)
      VALUES (:tenantId, :alertId, :event, :payload, :now, :now)
      """)
  @GetGeneratedKeys("id")
  long insertDelivery(
      @Bind("tenantId") TenantId tenant,
      @Bind("alertId") long alertId,
      @Bind("event") String event,
      @Bind("payload") String payload,
      @Bind("now") long nowMs);

  @SqlQuery(
      """
      SELECT id, event, status, attempts, next_attempt_ms, created_at_ms, finished_at_ms
      FROM alert_deliveries WHERE tenant_id = :tenantId AND alert_id = :alertId
      ORDER BY id DESC LIMIT :limit
      """)
  List<DeliveryRow> recentDeliveries(
      @Bind("tenantId") TenantId tenant, @Bind("alertId") long alertId, @Bind("limit") int limit);

  @SqlQuery(
      """
      SELECT t.delivery_id, t.attempt, t.at_ms, t.status_code, t.error, t.duration_ms,
             t.next_retry_ms
      FROM alert_delivery_attempts t JOIN alert_deliveries d ON d.id = t.delivery_id
      WHERE d.tenant_id = :tenantId AND t.delivery_id IN (<ids>)
      ORDER BY t.delivery_id, t.attempt
      """)
  List<AttemptRow> attempts(
      @Bind("tenantId") TenantId tenant, @BindList("ids") List<Long> deliveryIds);
}
