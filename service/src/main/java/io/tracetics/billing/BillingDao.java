package io.tracetics.billing;

import io.tracetics.ids.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** A tenant's subscription state, written only by the Stripe webhook handling. */
@RegisterRowMapper(BillingDao.StateMapper.class)
interface BillingDao {
  String SELECT_STATE =
      """
      SELECT id, plan_code, stripe_customer_id, stripe_subscription_id, subscription_status,
             current_period_end, subscription_state_at, payment_failed_at, grace_until,
             payment_state_at
      FROM tenants
      """;

  @SqlQuery(SELECT_STATE + " WHERE id = :tenantId")
  Optional<BillingStateRow> find(@Bind("tenantId") TenantId tenantId);

  /** Locks the tenant row: billing changes of one tenant are applied one at a time. */
  @SqlQuery(SELECT_STATE + " WHERE id = :tenantId FOR UPDATE")
  Optional<BillingStateRow> lock(@Bind("tenantId") TenantId tenantId);

  /** Resolving a tenant from a Stripe customer: the one lookup that starts without a tenant. */
  @SqlQuery("SELECT id FROM tenants WHERE stripe_customer_id = :customerId")
  Optional<TenantId> tenantOfCustomer(@Bind("customerId") String customerId);

  @SqlUpdate("UPDATE tenants SET stripe_customer_id = :customerId WHERE id = :tenantId")
  int linkCustomer(@Bind("tenantId") TenantId tenantId, @Bind("customerId") String customerId);

  @SqlUpdate(
      """
      UPDATE tenants
      SET plan_code = :planCode, stripe_subscription_id = :subscriptionId,
          subscription_status = :status, current_period_end = :periodEnd,
          subscription_state_at = :stateAt
      WHERE id = :tenantId
      """)
  int applySubscription(
      @Bind("tenantId") TenantId tenantId,
      @Bind("planCode") String planCode,
      @Bind("subscriptionId") String subscriptionId,
      @Bind("status") String status,
      @Bind("periodEnd") Instant periodEnd,
      @Bind("stateAt") long stateAt);

  /** Starts the grace clock at the first failed payment; a later failure keeps the first date. */
  @SqlUpdate(
      """
      UPDATE tenants
      SET payment_failed_at = COALESCE(payment_failed_at, :failedAt),
          grace_until = COALESCE(grace_until, :graceUntil)
      WHERE id = :tenantId
      """)
  int startGrace(
      @Bind("tenantId") TenantId tenantId,
      @Bind("failedAt") long failedAt,
      @Bind("graceUntil") long graceUntil);

  @SqlUpdate("UPDATE tenants SET payment_failed_at = NULL, grace_until = NULL WHERE id = :tenantId")
  int clearGrace(@Bind("tenantId") TenantId tenantId);

  @SqlUpdate("UPDATE tenants SET payment_state_at = :stateAt WHERE id = :tenantId")
  int setPaymentStateAt(@Bind("tenantId") TenantId tenantId, @Bind("stateAt") long stateAt);

  @SqlQuery(
      "SELECT COUNT(*) > 0 FROM stripe_ended_subscriptions WHERE subscription_id = :subscriptionId")
  boolean isEnded(@Bind("subscriptionId") String subscriptionId);

  @SqlUpdate(
      """
      INSERT INTO stripe_ended_subscriptions (subscription_id, tenant_id, ended_at)
      VALUES (:subscriptionId, :tenantId, :endedAt)
      ON DUPLICATE KEY UPDATE subscription_id = subscription_id
      """)
  void markEnded(
      @Bind("tenantId") TenantId tenantId,
      @Bind("subscriptionId") String subscriptionId,
      @Bind("endedAt") long endedAt);

  /** Maps the billing columns of {@code tenants}. */
  final class StateMapper implements RowMapper<BillingStateRow> {
    @Override
    public BillingStateRow map(ResultSet rs, StatementContext ctx) throws SQLException {
      Timestamp periodEnd = rs.getTimestamp("current_period_end");
      return new BillingStateRow(
          new TenantId(rs.getLong("id")),
          rs.getString("plan_code"),
          rs.getString("stripe_customer_id"),
          rs.getString("stripe_subscription_id"),
          rs.getString("subscription_status"),
          periodEnd == null ? null : periodEnd.toInstant(),
          nullableLong(rs, "subscription_state_at"),
          nullableLong(rs, "payment_failed_at"),
          nullableLong(rs, "grace_until"),
          nullableLong(rs, "payment_state_at"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
      long value = rs.getLong(column);
      return rs.wasNull() ? null : value;
    }
  }
}
