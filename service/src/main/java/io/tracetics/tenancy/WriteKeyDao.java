package io.tracetics.tenancy;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * An app's write keys in the credentials table (issued through {@link CredentialDao}). Every query
 * is scoped by tenant and app.
 */
@RegisterRowMapper(WriteKeyDao.WriteKeyMapper.class)
@RegisterRowMapper(TenancyMappers.CredentialMapper.class)
public interface WriteKeyDao {

  /**
   * Locks the live app's row, so that concurrent creates count the app's keys one after another.
   */
  @SqlQuery(
      """
      SELECT id FROM tracked_apps
      WHERE tenant_id = :tenantId AND id = :appId AND deleted_at IS NULL
      FOR UPDATE
      """)
  Optional<Long> lockLiveApp(@Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId);

  @SqlQuery(
      """
      SELECT COUNT(*) FROM credentials
      WHERE tenant_id = :tenantId AND app_id = :appId AND kind = 'write_key' AND revoked_at IS NULL
      """)
  int countLive(@Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId);

  @SqlQuery(
      """
      SELECT id, key_prefix, created_at, revoked_at FROM credentials
      WHERE tenant_id = :tenantId AND app_id = :appId AND kind = 'write_key'
      ORDER BY id
      """)
  List<WriteKeyRow> list(@Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId);

  @SqlQuery(
      """
      SELECT id, key_prefix, created_at, revoked_at FROM credentials
      WHERE tenant_id = :tenantId AND app_id = :appId AND kind = 'write_key' AND id > :afterId
      ORDER BY id LIMIT :limit
      """)
  List<WriteKeyRow> page(
      @Bind("tenantId") TenantId tenantId,
      @Bind("appId") AppId appId,
      @Bind("afterId") long afterId,
      @Bind("limit") int limit);

  @SqlQuery(
      """
      SELECT id, key_prefix, created_at, revoked_at FROM credentials
      WHERE tenant_id = :tenantId AND app_id = :appId AND kind = 'write_key' AND id = :keyId
      """)
  Optional<WriteKeyRow> find(
      @Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId, @Bind("keyId") long keyId);

  /** The key as a live credential (for the authentication cache), if it is live. */
  @SqlQuery(
      """
      SELECT id, tenant_id, app_id, kind, key_hash FROM credentials
      WHERE tenant_id = :tenantId AND app_id = :appId AND kind = 'write_key' AND id = :keyId
        AND revoked_at IS NULL
      """)
  Optional<CredentialRow> findLive(
      @Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId, @Bind("keyId") long keyId);

  @SqlUpdate(
      """
      UPDATE credentials SET revoked_at = CURRENT_TIMESTAMP(3)
      WHERE tenant_id = :tenantId AND app_id = :appId AND kind = 'write_key' AND id = :keyId
        AND revoked_at IS NULL
      """)
  int revoke(
      @Bind("tenantId") TenantId tenantId, @Bind("appId") AppId appId, @Bind("keyId") long keyId);

  /** Maps the listing columns. */
  final class WriteKeyMapper implements RowMapper<WriteKeyRow> {
    @Override
    public WriteKeyRow map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new WriteKeyRow(
          rs.getLong("id"),
          rs.getString("key_prefix"),
          TenancyMappers.instant(rs, "created_at"),
          TenancyMappers.instant(rs, "revoked_at"));
    }
  }
}
