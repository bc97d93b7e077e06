package io.tracetics.billing;

import io.tracetics.ids.TenantId;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Stripe events already applied. The primary key on the event id is what makes a redelivered event
 * apply at most once: the row is inserted in the same transaction as the state change, so a
 * concurrent duplicate waits for that transaction and then fails on the key.
 */
interface StripeEventDao {
  @SqlUpdate("INSERT INTO stripe_events (id, type, created) VALUES (:id, :type, :created)")
  void insert(@Bind("id") String id, @Bind("type") String type, @Bind("created") long created);

  @SqlUpdate("UPDATE stripe_events SET tenant_id = :tenantId WHERE id = :id")
  void attribute(@Bind("tenantId") TenantId tenantId, @Bind("id") String id);
}
