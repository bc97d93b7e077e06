package io.tracetics.tenancy;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Hashes of keys and tokens. The secrets themselves are never stored. */
@RegisterRowMapper(TenancyMappers.CredentialMapper.class)
public interface CredentialDao {

  @SqlUpdate(
      """
      INSERT INTO credentials (tenant_id, app_id, kind, key_hash, key_prefix)
      VALUES (:tenantId, :appId, :kind, :keyHash, :keyPrefix)
      """)
  @GetGeneratedKeys("id")
  long insert(
      @Bind("tenantId") TenantId tenantId,
      @Bind("appId") AppId appId,
      @Bind("kind") String kind,
      @Bind("keyHash") byte[] keyHash,
      @Bind("keyPrefix") String keyPrefix);

  @SqlQuery(
      """
      SELECT c.id, c.tenant_id, c.app_id, c.kind, c.key_hash FROM credentials c
      LEFT JOIN tracked_apps a ON a.id = c.app_id
      WHERE c.key_hash = :keyHash AND c.revoked_at IS NULL AND a.deleted_at IS NULL
      """)
  Optional<CredentialRow> findLive(@Bind("keyHash") byte[] keyHash);

  @SqlQuery(
      """
      SELECT id, tenant_id, app_id, kind, key_hash FROM credentials
      WHERE tenant_id = :tenantId AND kind = :kind AND app_id <=> :appId AND revoked_at IS NULL
      """)
  List<CredentialRow> live(
      @Bind("tenantId") TenantId tenantId, @Bind("kind") String kind, @Bind("appId") AppId appId);

  @SqlUpdate(
      """
      UPDATE credentials SET revoked_at = CURRENT_TIMESTAMP(3)
      WHERE tenant_id = :tenantId AND kind = :kind AND app_id <=> :appId AND revoked_at IS NULL
      """)
  int revoke(
      @Bind("tenantId") TenantId tenantId, @Bind("kind") String kind, @Bind("appId") AppId appId);
}
