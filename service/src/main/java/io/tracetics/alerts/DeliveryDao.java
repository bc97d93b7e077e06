package io.tracetics.alerts;

import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The sender's view of the webhooks: finding the due ones (of every tenant, like the pipeline),
 * claiming one under a lease, recording each attempt. A claim is a conditional UPDATE that takes
 * the lease and counts the attempt at once, so two nodes never make the same attempt; every later
 * write names the lease owner and the attempt, so a sender whose lease ran out changes nothing.
 */
@RegisterConstructorMapper(DeliveryDao.Claimed.class)
public interface DeliveryDao {

  /** A claimed delivery with what sending it needs. */
  record Claimed(
      long id,
      long tenantId,
      long alertId,
      String event,
      String payload,
      int attempts,
      String webhookUrl,
      String secret,
      Long alertDeletedAtMs) {}

  @SqlQuery(
      """
      SELECT id FROM alert_deliveries
      WHERE status = 'pending' AND next_attempt_ms <= :now
        AND (lease_until_ms IS NULL OR lease_until_ms < :now)
      ORDER BY next_attempt_ms LIMIT :limit
      """)
  List<Long> due(@Bind("now") long nowMs, @Bind("limit") int limit);

  @SqlUpdate(
      """
      UPDATE alert_deliveries
      SET lease_owner = :owner, lease_until_ms = :leaseUntil, attempts = attempts + 1
      WHERE id = :id AND status = 'pending' AND next_attempt_ms <= :now
        AND (lease_until_ms IS NULL OR lease_until_ms < :now)
      """)
  int claim(
      @Bind("id") long id,
      @Bind("owner") String owner,
      @Bind("now") long nowMs,
      @Bind("leaseUntil") long leaseUntilMs);

  @SqlQuery(
      """
      SELECT d.id, d.tenant_id, d.alert_id, d.event, d.payload, d.attempts, a.webhook_url,
             a.secret, a.deleted_at_ms AS alert_deleted_at_ms
      FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id AND a.tenant_id = d.tenant_id
      WHERE d.id = :id AND d.lease_owner = :owner
      """)
  Optional<Claimed> claimed(@Bind("id") long id, @Bind("owner") String owner);

  @SqlUpdate(
      """
      INSERT INTO alert_delivery_attempts (delivery_id, attempt, at_ms, status_code, error,
                                           duration_ms, next_retry_ms)
      SELECT id, :attempt, :at, :statusCode, :error, :durationMs, :nextRetry
      FROM alert_deliveries WHERE id = :id AND tenant_id = :tenantId
      """)
  void recordAttempt(
      @Bind("tenantId") TenantId tenant,
      @Bind("id") long deliveryId,
      @Bind("attempt") int attempt,
      @Bind("at") long atMs,
      @Bind("statusCode") Integer statusCode,
      @Bind("error") String error,
      @Bind("durationMs") long durationMs,
      @Bind("nextRetry") Long nextRetryMs);

  /** Ends a delivery (delivered, failed, cancelled), if this sender still holds its attempt. */
  @SqlUpdate(
      """
      UPDATE alert_deliveries
      SET status = :status, finished_at_ms = :now, lease_owner = NULL, lease_until_ms = NULL
      WHERE id = :id AND tenant_id = :tenantId AND lease_owner = :owner AND attempts = :attempt
        AND status = 'pending'
      """)
  int finish(
      @Bind("tenantId") TenantId tenant,
      @Bind("id") long id,
      @Bind("owner") String owner,
      @Bind("attempt") int attempt,
      @Bind("status") String status,
      @Bind("now") long nowMs);

  /** Lets a failed delivery go for another attempt at {@code next}. */
  @SqlUpdate(
      """
      UPDATE alert_deliveries
      SET next_attempt_ms = :next, lease_owner = NULL, lease_until_ms = NULL
      WHERE id = :id AND tenant_id = :tenantId AND lease_owner = :owner AND attempts = :attempt
        AND status = 'pending'
      """)
  int retryAt(
      @Bind("tenantId") TenantId tenant,
      @Bind("id") long id,
      @Bind("owner") String owner,
      @Bind("attempt") int attempt,
      @Bind("next") long nextMs);
}
