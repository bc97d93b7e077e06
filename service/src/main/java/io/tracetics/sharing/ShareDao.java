package io.tracetics.sharing;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Share links of saved funnels, scoped by tenant, app and funnel; the token only as its hash. */
@RegisterConstructorMapper(ShareRow.class)
public interface ShareDao {
  String COLUMNS =
      "s.id, s.tenant_id, s.app_id, s.funnel_id, s.token_hash, s.allowed_parameters,"
          + " s.created_at_ms, s.expires_at_ms, s.revoked_at_ms";

  @SqlUpdate(
      """
      INSERT INTO funnel_shares
        (tenant_id, app_id, funnel_id, token_hash, allowed_parameters, created_at_ms, expires_at_ms)
      VALUES (:tenantId, :appId, :funnelId, :tokenHash, :allowed, :now, :expiresAt)
      """)
  @GetGeneratedKeys("id")
  long insert(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("funnelId") long funnelId,
      @Bind("tokenHash") byte[] tokenHash,
      @Bind("allowed") String allowedParameters,
      @Bind("now") long nowMs,
      @Bind("expiresAt") Long expiresAtMs);

  String OF_FUNNEL =
      " FROM funnel_shares s WHERE s.tenant_id = :tenantId AND s.app_id = :appId"
          + " AND s.funnel_id = :funnelId AND s.revoked_at_ms IS NULL";

  /** A live (unrevoked) link of the funnel, expired or not. */
  @SqlQuery("SELECT " + COLUMNS + OF_FUNNEL + " AND s.id = :id")
  Optional<ShareRow> find(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("funnelId") long funnelId,
      @Bind("id") long id);

  /** The funnel's unrevoked links (expired ones too), oldest first. */
  @SqlQuery("SELECT " + COLUMNS + OF_FUNNEL + " ORDER BY s.id")
  List<ShareRow> list(
      @Bind("tenantId") TenantId tenant, @Bind("appId") AppId app, @Bind("funnelId") long funnelId);

  @SqlQuery("SELECT " + COLUMNS + OF_FUNNEL + " AND s.id > :afterId ORDER BY s.id LIMIT :limit")
  List<ShareRow> page(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("funnelId") long funnelId,
      @Bind("afterId") long afterId,
      @Bind("limit") int limit);

  @SqlQuery("SELECT COUNT(*)" + OF_FUNNEL)
  int countUnrevoked(
      @Bind("tenantId") TenantId tenant, @Bind("appId") AppId app, @Bind("funnelId") long funnelId);

  @SqlUpdate(
      """
      UPDATE funnel_shares SET revoked_at_ms = :now
      WHERE tenant_id = :tenantId AND app_id = :appId AND funnel_id = :funnelId AND id = :id
        AND revoked_at_ms IS NULL
      """)
  int revoke(
      @Bind("tenantId") TenantId tenant,
      @Bind("appId") AppId app,
      @Bind("funnelId") long funnelId,
      @Bind("id") long id,
      @Bind("now") long nowMs);

  /**
   * The unrevoked link with this token hash whose funnel and app are live, whatever the tenant: the
   * token is the only thing a viewer has (as a credential's hash is for authentication).
   */
  @SqlQuery(
      "SELECT "
          + COLUMNS
          + """
           FROM funnel_shares s
          JOIN funnels f ON f.id = s.funnel_id
          JOIN tracked_apps a ON a.id = s.app_id
          WHERE s.token_hash = :tokenHash AND s.revoked_at_ms IS NULL
            AND f.deleted_at IS NULL AND a.deleted_at IS NULL
          """)
  Optional<ShareRow> findLiveByToken(@Bind("tokenHash") byte[] tokenHash);
}
