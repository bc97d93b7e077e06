package io.tracetics.idempotency;

import io.tracetics.ids.TenantId;
import java.security.GeneralSecurityException;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records idempotency keys in MariaDB: the first request with a key holds it (a unique key on
 * caller, endpoint and key decides between concurrent ones), its kept answer is sealed with the
 * caller's credential ({@link AnswerCipher}), retries read it back.
 */
public class IdempotencyStore {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyStore.class);
  private static final int MAX_ENDPOINT = 512;

  private final Jdbi jdbi;
  private final Clock clock;

  public IdempotencyStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Who sent a request with a key, and to where. */
  public record Call(TenantId tenant, String authorization, String endpoint, String key) {
    String caller() {
      return IdempotencyRules.caller(authorization);
    }

    String endpointColumn() {
      return endpoint.length() <= MAX_ENDPOINT ? endpoint : endpoint.substring(0, MAX_ENDPOINT);
    }
  }

  /** What to do with a request that carries a key. */
  public sealed interface Begin {}

  /** Run the request; its answer goes to {@link #finish}. */
  public record Run(long id) implements Begin {}

  /** The first request's answer. */
  public record Replay(int status, String body, String location) implements Begin {}

  /** Refuse: another body (REUSED) or still running (IN_PROGRESS). */
  public record Refuse(IdempotencyRules.Outcome outcome) implements Begin {}

  public Begin begin(Call call, String fingerprint) {
    String caller = call.caller();
    String endpoint = call.endpointColumn();
    long expires = IdempotencyRules.TTL.toMillis();
    // A few rounds: a concurrent request may insert, finish or take over between the steps.
    for (int round = 0; round < 5; round++) {
      long now = clock.millis();
      var existing =
          jdbi.withExtension(IdempotencyDao.class, dao -> dao.find(caller, endpoint, call.key()));
      if (existing.isEmpty()) {
        Long tenant = call.tenant() == null ? null : call.tenant().value();
        int inserted =
            jdbi.withExtension(
                IdempotencyDao.class,
                dao ->
                    dao.insert(
                        tenant, caller, endpoint, call.key(), fingerprint, now, now + expires));
        if (inserted == 1) {
          return new Run(
              jdbi.withExtension(
                      IdempotencyDao.class, dao -> dao.find(caller, endpoint, call.key()))
                  .orElseThrow()
                  .id());
        }
        continue;
      }
      IdempotencyRow row = existing.get();
      switch (IdempotencyRules.decide(row.record(), fingerprint, now)) {
        case RUN -> {
          int taken =
              jdbi.withExtension(
                  IdempotencyDao.class,
                  dao ->
                      dao.takeOver(
                          caller, row.id(), row.createdAtMs(), fingerprint, now, now + expires));
          if (taken == 1) {
            return new Run(row.id());
          }
        }
        case REPLAY -> {
          return replay(call, row);
        }
        case REUSED -> {
          return new Refuse(IdempotencyRules.Outcome.REUSED);
        }
        case IN_PROGRESS -> {
          return new Refuse(IdempotencyRules.Outcome.IN_PROGRESS);
        }
      }
    }
    return new Refuse(IdempotencyRules.Outcome.IN_PROGRESS);
  }

  private Replay replay(Call call, IdempotencyRow row) {
    String body = null;
    if (row.sealedBody() != null) {
      try {
        body = AnswerCipher.decrypt(call.authorization(), row.sealedBody());
      } catch (GeneralSecurityException e) {
        // Only a different credential with the same SHA-256 could get here.
        throw new IllegalStateException("a kept answer that its caller cannot open", e);
      }
    }
    return new Replay(row.statusCode(), body, row.location());
  }

  /**
   * Keeps the first request's answer for replay, or forgets the key when the answer is not kept.
   */
  public void finish(Call call, long id, int status, String body, String location) {
    String caller = call.caller();
    if (!IdempotencyRules.keeps(status)) {
      jdbi.useExtension(IdempotencyDao.class, dao -> dao.forget(caller, id));
      return;
    }
    String sealed = body == null ? null : AnswerCipher.encrypt(call.authorization(), body);
    jdbi.useExtension(
        IdempotencyDao.class, dao -> dao.complete(caller, id, status, sealed, location));
  }

  /** Deletes expired keys (the hourly clean-up). */
  public void deleteExpired() {
    int deleted;
    do {
      deleted = jdbi.withExtension(IdempotencyDao.class, dao -> dao.deleteExpired(clock.millis()));
      if (deleted > 0) {
        LOG.info("Deleted {} expired idempotency keys", deleted);
      }
    } while (deleted == 10_000);
  }
}
