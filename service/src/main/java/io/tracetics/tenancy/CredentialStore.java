package io.tracetics.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.util.Collection;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Resolves a presented secret to the live credential it belongs to. Lookups go by the secret's
 * SHA-256 (never the secret), are cached so authentication stays off the database on the hot path
 * (unknown secrets too, briefly), and the stored hash is compared in constant time. Revocations
 * made on this node take effect at once; on other nodes within the cache TTL.
 */
public class CredentialStore {
  private final Jdbi jdbi;
  private final Cache<String, Optional<CredentialRow>> cache;

  public CredentialStore(Jdbi jdbi, TenancyConfig config) {
    this.jdbi = jdbi;
    this.cache = SecretLookupCache.create(config);
  }

  /** The live credential of that kind for the secret, if any. */
  public Optional<CredentialRow> resolve(String secret, CredentialKind kind) {
    if (secret == null || secret.isEmpty() || secret.length() > 200) {
      return Optional.empty();
    }
    byte[] hash = Secrets.hash(secret);
    String cacheKey = java.util.HexFormat.of().formatHex(hash);
    Optional<CredentialRow> found =
        cache.get(
            cacheKey, k -> jdbi.withExtension(CredentialDao.class, dao -> dao.findLive(hash)));
    return found.filter(
        row -> row.kind() == kind && Secrets.constantTimeEquals(row.keyHash(), hash));
  }

  /** Forgets revoked credentials on this node at once. */
  public void invalidate(Collection<CredentialRow> revoked) {
    for (CredentialRow row : revoked) {
      cache.invalidate(java.util.HexFormat.of().formatHex(row.keyHash()));
    }
  }

  /**
   * Issues a new secret of this kind for the owner inside the caller's transaction (which revokes
   * any secret it replaces). Returns the secret, which exists only in this return value from now
   * on.
   */
  public static String issue(CredentialDao dao, TenantId tenant, AppId app, CredentialKind kind) {
    return issueWithId(dao, tenant, app, kind).secret();
  }

  /** The same, with the new credential's id, for kinds listed and revoked one by one. */
  public static Issued issueWithId(
      CredentialDao dao, TenantId tenant, AppId app, CredentialKind kind) {
    String secret = Secrets.generate(kind);
    long id =
        dao.insert(
            tenant, app, kind.dbValue(), Secrets.hash(secret), Secrets.visiblePrefix(secret));
    return new Issued(id, secret);
  }

  /** A credential just issued: its id and its secret. */
  public record Issued(long id, String secret) {}
}
