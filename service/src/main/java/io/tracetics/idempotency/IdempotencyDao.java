package io.tracetics.idempotency;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Idempotency keys, scoped by caller (the SHA-256 of the credential that sent them; the tenant is
 * kept beside it, NULL for the operator) and endpoint.
 */
@RegisterConstructorMapper(IdempotencyRow.class)
public interface IdempotencyDao {
  @SqlQuery(
      """
      SELECT id, fingerprint, status_code, response_body, location, created_at_ms, expires_at_ms
      FROM idempotency_keys WHERE caller = :caller AND endpoint = :endpoint AND idem_key = :key
      """)
  Optional<IdempotencyRow> find(
      @Bind("caller") String caller, @Bind("endpoint") String endpoint, @Bind("key") String key);

  /** 1 when this request now holds the key, 0 when another holds it already. */
  @SqlUpdate(
      """
      INSERT IGNORE INTO idempotency_keys
        (tenant_id, caller, endpoint, idem_key, fingerprint, created_at_ms, expires_at_ms)
      VALUES (:tenantId, :caller, :endpoint, :key, :fingerprint, :now, :expiresAt)
      """)
  int insert(
      @Bind("tenantId") Long tenantId,
      @Bind("caller") String caller,
      @Bind("endpoint") String endpoint,
      @Bind("key") String key,
      @Bind("fingerprint") String fingerprint,
      @Bind("now") long nowMs,
      @Bind("expiresAt") long expiresAtMs);

  /**
   * Takes over an expired or abandoned record, if it is still the one read (1), for a new first
   * request.
   */
  @SqlUpdate(
      """
      UPDATE idempotency_keys
      SET fingerprint = :fingerprint, status_code = NULL, response_body = NULL, location = NULL,
          created_at_ms = :now, expires_at_ms = :expiresAt
      WHERE caller = :caller AND id = :id AND created_at_ms = :readCreatedAt
      """)
  int takeOver(
      @Bind("caller") String caller,
      @Bind("id") long id,
      @Bind("readCreatedAt") long readCreatedAtMs,
      @Bind("fingerprint") String fingerprint,
      @Bind("now") long nowMs,
      @Bind("expiresAt") long expiresAtMs);

  @SqlUpdate(
      """
      UPDATE idempotency_keys SET status_code = :status, response_body = :body, location = :location
      WHERE caller = :caller AND id = :id
      """)
  void complete(
      @Bind("caller") String caller,
      @Bind("id") long id,
      @Bind("status") int status,
      @Bind("body") String sealedBody,
      @Bind("location") String location);

  /** Forgets a first request whose answer is not kept, so that a retry runs it again. */
  @SqlUpdate("DELETE FROM idempotency_keys WHERE caller = :caller AND id = :id")
  void forget(@Bind("caller") String caller, @Bind("id") long id);

  @SqlUpdate("DELETE FROM idempotency_keys WHERE expires_at_ms <= :now LIMIT 10000")
  int deleteExpired(@Bind("now") long nowMs);
}
