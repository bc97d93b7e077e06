package io.tracetics.tenancy;

import io.tracetics.ids.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * API keys: their grants in {@code api_keys}, their hashes in {@code credentials} (issued through
 * {@link CredentialDao}). Every query but the authentication lookup is scoped by tenant.
 */
@RegisterRowMapper(ApiKeyDao.ApiKeyMapper.class)
@RegisterRowMapper(TenancyMappers.CredentialMapper.class)
public interface ApiKeyDao {
  String COLUMNS =
      """
      c.id, c.tenant_id, c.key_prefix, c.created_at, c.revoked_at,
      k.name, k.scopes, k.app_ids, k.expires_at, k.last_used_at
      FROM credentials c JOIN api_keys k ON k.credential_id = c.id
      """;

  /** Locks the tenant's row, so that concurrent creates count its keys one after another. */
  @SqlQuery("SELECT id FROM tenants WHERE id = :tenantId FOR UPDATE")
  Optional<Long> lockTenant(@Bind("tenantId") TenantId tenantId);

  @SqlUpdate(
      """
      INSERT INTO api_keys (credential_id, tenant_id, name, scopes, app_ids, expires_at)
      VALUES (:id, :tenantId, :name, :scopes, :appIds, :expiresAt)
      """)
  void insert(
      @Bind("id") long credentialId,
      @Bind("tenantId") TenantId tenantId,
      @Bind("name") String name,
      @Bind("scopes") String scopes,
      @Bind("appIds") String appIds,
      @Bind("expiresAt") Instant expiresAt);

  @SqlQuery(
      "SELECT COUNT(*) FROM credentials WHERE tenant_id = :tenantId AND kind = 'api_key'"
          + " AND revoked_at IS NULL")
  int countLive(@Bind("tenantId") TenantId tenantId);

  /** The tenant's keys that are not revoked (expired ones included), oldest first. */
  @SqlQuery(
      "SELECT " + COLUMNS + " WHERE c.tenant_id = :tenantId AND c.revoked_at IS NULL ORDER BY c.id")
  List<ApiKeyRow> listLive(@Bind("tenantId") TenantId tenantId);

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " WHERE c.tenant_id = :tenantId AND c.revoked_at IS NULL AND c.id > :afterId"
          + " ORDER BY c.id LIMIT :limit")
  List<ApiKeyRow> pageLive(
      @Bind("tenantId") TenantId tenantId, @Bind("afterId") long afterId, @Bind("limit") int limit);

  @SqlQuery("SELECT " + COLUMNS + " WHERE c.tenant_id = :tenantId AND c.id = :keyId")
  Optional<ApiKeyRow> find(@Bind("tenantId") TenantId tenantId, @Bind("keyId") long keyId);

  /** The grant of a live key, by its credential id (for authentication, after the hash lookup). */
  @SqlQuery("SELECT " + COLUMNS + " WHERE c.id = :keyId AND c.revoked_at IS NULL")
  Optional<ApiKeyRow> findLive(@Bind("keyId") long keyId);

  /** The key as a live credential (for the authentication cache), if it is live. */
  @SqlQuery(
      """
      SELECT id, tenant_id, app_id, kind, key_hash FROM credentials
      WHERE tenant_id = :tenantId AND kind = 'api_key' AND id = :keyId AND revoked_at IS NULL
      """)
  Optional<CredentialRow> findLiveCredential(
      @Bind("tenantId") TenantId tenantId, @Bind("keyId") long keyId);

  @SqlUpdate(
      """
      UPDATE credentials SET revoked_at = CURRENT_TIMESTAMP(3)
      WHERE tenant_id = :tenantId AND kind = 'api_key' AND id = :keyId AND revoked_at IS NULL
      """)
  int revoke(@Bind("tenantId") TenantId tenantId, @Bind("keyId") long keyId);

  @SqlUpdate("UPDATE api_keys SET last_used_at = :at WHERE credential_id = :keyId")
  void touch(@Bind("keyId") long keyId, @Bind("at") Instant at);

  /** Maps a row of {@link #COLUMNS}. */
  final class ApiKeyMapper implements RowMapper<ApiKeyRow> {
    @Override
    public ApiKeyRow map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new ApiKeyRow(
          rs.getLong("id"),
          new TenantId(rs.getLong("tenant_id")),
          rs.getString("name"),
          rs.getString("key_prefix"),
          ApiKeyRules.parseStoredScopes(rs.getString("scopes")),
          ApiKeyRules.parseStoredApps(rs.getString("app_ids")),
          TenancyMappers.instant(rs, "expires_at"),
          TenancyMappers.instant(rs, "created_at"),
          TenancyMappers.instant(rs, "last_used_at"),
          TenancyMappers.instant(rs, "revoked_at"));
    }
  }
}
