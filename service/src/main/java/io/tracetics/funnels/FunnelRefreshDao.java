package io.tracetics.funnels;

import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The per-app refresh leases of saved funnels ({@code funnel_refreshes}). The refresher's methods
 * are not tenant-scoped (like the loader's, they serve every app); the status reads are. Every
 * write after a claim names the lease owner, so a node whose lease ran out changes nothing. In the
 * ON DUPLICATE KEY and UPDATE assignments order matters: each reads the columns as already assigned
 * to its left.
 */
@RegisterConstructorMapper(FunnelRefreshDao.Row.class)
public interface FunnelRefreshDao {

  /**
   * Records that the app's saved funnels want refreshing up to {@code position} (a monotonic max);
   * when they were up to date until now, they are behind from {@code now}. Callers pass apps in id
   * order (with each app's position), so two nodes recording the same apps lock them in the same
   * order.
   */
  @SqlBatch(
      """
      INSERT INTO funnel_refreshes (app_id, wanted_position, wanted_at_ms)
      VALUES (:appId, :position, :now)
      ON DUPLICATE KEY UPDATE
        wanted_at_ms = IF(wanted_position <= refreshed_position
                          AND VALUES(wanted_position) > refreshed_position,
                          VALUES(wanted_at_ms), wanted_at_ms),
        wanted_position = GREATEST(wanted_position, VALUES(wanted_position))
      """)
  void want(
      @Bind("appId") List<Long> appIds,
      @Bind("position") List<Long> positions,
      @Bind("now") long now);

  @SqlQuery("SELECT * FROM funnel_refreshes WHERE app_id = :appId")
  Optional<Row> find(@Bind("appId") long appId);

  /**
   * Takes the lease: succeeds (1) only while a refresh is still wanted, {@code position} (the
   * claiming copy's) is past what is refreshed, and the lease is free, expired or {@code owner}'s.
   */
  @SqlUpdate(
      """
      UPDATE funnel_refreshes
      SET lease_owner = :owner, lease_node = :node, lease_expires_at_ms = :expiresAt,
          lease_taken_at_ms = :now, lease_position = :position
      WHERE app_id = :appId
        AND wanted_position > refreshed_position AND refreshed_position < :position
        AND (lease_owner IS NULL OR lease_expires_at_ms <= :now OR lease_owner = :owner)
      """)
  int claim(
      @Bind("appId") long appId,
      @Bind("owner") String owner,
      @Bind("node") String node,
      @Bind("position") long position,
      @Bind("now") long now,
      @Bind("expiresAt") long expiresAt);

  /** Extends a lease still held by {@code owner}; 0 when it was lost. */
  @SqlUpdate(
      """
      UPDATE funnel_refreshes SET lease_expires_at_ms = :expiresAt
      WHERE app_id = :appId AND lease_owner = :owner
      """)
  int renew(
      @Bind("appId") long appId, @Bind("owner") String owner, @Bind("expiresAt") long expiresAt);

  /**
   * Records a finished refresh and releases the lease, if {@code owner} still holds it (else 0).
   * {@code position} is the load position the refreshing copy had when the refresh started, with
   * {@code events} the app's events in that copy. When the refresh covered what was wanted when it
   * was claimed ({@code coveredWanted}) and loads since then left more wanted, the funnels are
   * behind from the refresh's start; after a partial refresh they stay behind from when they were.
   */
  @SqlUpdate(
      """
      UPDATE funnel_refreshes
      SET wanted_at_ms = IF(wanted_position > GREATEST(refreshed_position, :position)
                            AND :position >= :coveredWanted, :startedAt, wanted_at_ms),
          refreshed_events = IF(:position >= refreshed_position, :events, refreshed_events),
          refreshed_position = GREATEST(refreshed_position, :position),
          refreshed_at_ms = :now, refreshed_by = :node, refresh_count = refresh_count + 1,
          lease_owner = NULL, lease_node = NULL, lease_expires_at_ms = NULL, lease_position = NULL
      WHERE app_id = :appId AND lease_owner = :owner
      """)
  int finish(
      @Bind("appId") long appId,
      @Bind("owner") String owner,
      @Bind("node") String node,
      @Bind("position") long position,
      @Bind("events") long events,
      @Bind("coveredWanted") long coveredWanted,
      @Bind("startedAt") long startedAtMs,
      @Bind("now") long now);

  /** Gives a lease back without recording a refresh (the refresh failed). */
  @SqlUpdate(
      """
      UPDATE funnel_refreshes
      SET lease_owner = NULL, lease_node = NULL, lease_expires_at_ms = NULL, lease_position = NULL
      WHERE app_id = :appId AND lease_owner = :owner
      """)
  int release(@Bind("appId") long appId, @Bind("owner") String owner);

  /**
   * Apps whose saved funnels are behind and whose lease is free or expired, longest behind first.
   */
  @SqlQuery(
      """
      SELECT app_id FROM funnel_refreshes
      WHERE wanted_position > refreshed_position
        AND (lease_owner IS NULL OR lease_expires_at_ms <= :now)
      ORDER BY wanted_at_ms
      LIMIT :limit
      """)
  List<Long> due(@Bind("now") long now, @Bind("limit") int limit);

  /** The operator's view: apps behind or being refreshed, longest behind first. */
  @SqlQuery(
      """
      SELECT * FROM funnel_refreshes
      WHERE wanted_position > refreshed_position OR lease_owner IS NOT NULL
      ORDER BY wanted_position > refreshed_position DESC, wanted_at_ms, app_id
      LIMIT :limit
      """)
  List<Row> lagging(@Bind("limit") int limit);

  @SqlQuery(
      """
      SELECT COUNT(*) FROM funnel_refreshes WHERE wanted_position > refreshed_position
      """)
  long countBehind();

  /** A tenant's apps' rows. */
  @SqlQuery(
      """
      SELECT r.* FROM funnel_refreshes r JOIN tracked_apps a ON a.id = r.app_id
      WHERE a.tenant_id = :tenantId
      """)
  List<Row> ofTenant(@Bind("tenantId") TenantId tenantId);

  /** A row of {@code funnel_refreshes}. */
  record Row(
      long appId,
      long wantedPosition,
      Long wantedAtMs,
      long refreshedPosition,
      Long refreshedEvents,
      Long refreshedAtMs,
      String refreshedBy,
      long refreshCount,
      String leaseOwner,
      String leaseNode,
      Long leaseExpiresAtMs,
      Long leaseTakenAtMs,
      Long leasePosition) {

    RefreshLeaseRule.State state() {
      return new RefreshLeaseRule.State(
          wantedPosition,
          refreshedPosition,
          leaseOwner,
          leaseExpiresAtMs == null ? 0 : leaseExpiresAtMs,
          wantedAtMs,
          leaseTakenAtMs);
    }
  }
}
