package io.tracetics.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The grants of live API keys by id, cached for the key cache's lifetime like the credentials they
 * belong to, and their last use, written at most once a minute per key on each node so that
 * authentication stays off the database on the hot path.
 */
public class ApiKeyGrants {
  static final Duration LAST_USE_RESOLUTION = Duration.ofMinutes(1);

  private final Jdbi jdbi;
  private final Clock clock;
  private final Cache<Long, Optional<ApiKeyRow>> grants;
  private final ConcurrentMap<Long, Instant> lastWritten = new ConcurrentHashMap<>();

  public ApiKeyGrants(Jdbi jdbi, TenancyConfig config, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.grants =
        Caffeine.newBuilder()
            .maximumSize(config.keyCacheMaxEntries)
            .expireAfterWrite(Duration.ofNanos(config.keyCacheTtl.toNanoseconds()))
            .build();
  }

  /** The key's grant while it is live and not expired; records the use. */
  public Optional<Access> use(long keyId) {
    Optional<ApiKeyRow> row =
        grants.get(keyId, id -> jdbi.withExtension(ApiKeyDao.class, dao -> dao.findLive(id)));
    Instant now = clock.instant();
    if (row.isEmpty() || row.get().expiredAt(now)) {
      return Optional.empty();
    }
    recordUse(keyId, now);
    return Optional.of(row.get().access());
  }

  /** Forgets a revoked key on this node at once. */
  public void invalidate(long keyId) {
    grants.invalidate(keyId);
    lastWritten.remove(keyId);
  }

  private void recordUse(long keyId, Instant now) {
    Instant last = lastWritten.get(keyId);
    if (last != null && now.isBefore(last.plus(LAST_USE_RESOLUTION))) {
      return;
    }
    if (last == null
        ? lastWritten.putIfAbsent(keyId, now) != null
        : !lastWritten.replace(keyId, last, now)) {
      return; // another request of this key records this minute's use
    }
    jdbi.useExtension(ApiKeyDao.class, dao -> dao.touch(keyId, now));
  }
}
