package io.tracetics.tenancy;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;

/**
 * An API key as stored (never the key): its grant and its bookkeeping.
 *
 * @param appIds the apps it may use, empty for every app
 * @param expiresAt when it stops working, or null
 * @param lastUsedAt its last use to the minute, or null
 * @param revokedAt when it was revoked, or null
 */
public record ApiKeyRow(
    long id,
    TenantId tenantId,
    String name,
    String keyPrefix,
    Set<Scope> scopes,
    Optional<SortedSet<AppId>> appIds,
    Instant expiresAt,
    Instant createdAt,
    Instant lastUsedAt,
    Instant revokedAt) {

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  public Access access() {
    return new Access(OptionalLong.of(id), scopes, appIds.map(Set::copyOf));
  }
}
