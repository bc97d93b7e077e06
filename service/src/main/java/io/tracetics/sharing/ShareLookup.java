package io.tracetics.sharing;

import com.github.benmanes.caffeine.cache.Cache;
import io.tracetics.tenancy.SecretLookupCache;
import io.tracetics.tenancy.Secrets;
import io.tracetics.tenancy.TenancyConfig;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Resolves a presented share token to its link, as the credential store does for keys: by the
 * token's SHA-256, cached for the key cache's lifetime (unknown tokens for the shorter one, keeping
 * guesses off the database), the stored hash compared in constant time. A revocation on this node
 * takes effect at once; on other nodes within the cache's lifetime. Expiry is checked by the caller
 * on every request, so a cached link still stops at its expiry.
 */
public class ShareLookup {
  private final Jdbi jdbi;
  private final Cache<String, Optional<ShareRow>> cache;

  public ShareLookup(Jdbi jdbi, TenancyConfig config) {
    this.jdbi = jdbi;
    this.cache = SecretLookupCache.create(config);
  }

  /** The unrevoked link of a live funnel for this token, if any (expired or not). */
  public Optional<ShareRow> resolve(String token) {
    if (!ShareTokens.wellFormed(token)) {
      return Optional.empty();
    }
    byte[] hash = Secrets.hash(token);
    Optional<ShareRow> found =
        cache.get(
            HexFormat.of().formatHex(hash),
            k -> jdbi.withExtension(ShareDao.class, dao -> dao.findLiveByToken(hash)));
    return found.filter(row -> Secrets.constantTimeEquals(row.tokenHash(), hash));
  }

  /** Forgets a revoked link on this node at once. */
  public void invalidate(byte[] tokenHash) {
    cache.invalidate(HexFormat.of().formatHex(tokenHash));
  }
}
