package io.tracetics.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.Optional;

/**
 * The cache in front of every lookup of a presented secret (keys, tokens, share links) by its hash:
 * what was found is trusted for {@code tenancy.keyCacheTtl}, what was not for the shorter {@code
 * unknownKeyCacheTtl} (keeping guesses off the database while a new secret works soon).
 */
public final class SecretLookupCache {
  private SecretLookupCache() {}

  /** A cache of lookups by the hex of a secret's hash. */
  public static <V> Cache<String, Optional<V>> create(TenancyConfig config) {
    long knownNanos = config.keyCacheTtl.toNanoseconds();
    long unknownNanos = config.unknownKeyCacheTtl.toNanoseconds();
    return Caffeine.newBuilder()
        .maximumSize(config.keyCacheMaxEntries)
        .expireAfter(
            new Expiry<String, Optional<V>>() {
              @Override
              public long expireAfterCreate(String key, Optional<V> value, long currentTime) {
                return value.isPresent() ? knownNanos : unknownNanos;
              }

              @Override
              public long expireAfterUpdate(
                  String key, Optional<V> value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
              }

              @Override
              public long expireAfterRead(
                  String key, Optional<V> value, long currentTime, long currentDuration) {
                return currentDuration;
              }
            })
        .build();
  }
}
