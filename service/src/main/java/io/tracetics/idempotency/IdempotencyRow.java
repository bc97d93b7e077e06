package io.tracetics.idempotency;

import org.jdbi.v3.core.mapper.reflect.ColumnName;

/** One key's record: its request's fingerprint and, once answered, the kept answer (sealed). */
public record IdempotencyRow(
    @ColumnName("id") long id,
    @ColumnName("fingerprint") String fingerprint,
    @ColumnName("status_code") Integer statusCode,
    @ColumnName("response_body") String sealedBody,
    @ColumnName("location") String location,
    @ColumnName("created_at_ms") long createdAtMs,
    @ColumnName("expires_at_ms") long expiresAtMs) {

  IdempotencyRules.Record record() {
    return new IdempotencyRules.Record(fingerprint, statusCode, createdAtMs, expiresAtMs);
  }
}
