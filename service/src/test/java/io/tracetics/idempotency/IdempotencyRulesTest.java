package io.tracetics.idempotency;

import static io.tracetics.idempotency.IdempotencyRules.Outcome.IN_PROGRESS;
import static io.tracetics.idempotency.IdempotencyRules.Outcome.REPLAY;
import static io.tracetics.idempotency.IdempotencyRules.Outcome.REUSED;
import static io.tracetics.idempotency.IdempotencyRules.Outcome.RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdempotencyRulesTest {
  static final long NOW = 1_000_000_000L;
  static final long DAY = 24 * 3600 * 1000L;

  static IdempotencyRules.Record record(String fingerprint, Integer status, long createdAt) {
    return new IdempotencyRules.Record(fingerprint, status, createdAt, createdAt + DAY);
  }

  @Test
  void keysAreOneTo255VisibleAsciiCharacters() {
    assertTrue(IdempotencyRules.keyProblem("3f1c-uuid_like.key~!").isEmpty());
    assertTrue(IdempotencyRules.keyProblem("k".repeat(255)).isEmpty());
    assertTrue(IdempotencyRules.keyProblem("").isPresent());
    assertTrue(IdempotencyRules.keyProblem("k".repeat(256)).isPresent());
    assertTrue(IdempotencyRules.keyProblem("a b").isPresent());
    assertTrue(IdempotencyRules.keyProblem("clé").isPresent());
  }

  @Test
  void aFirstRequestRunsAndItsAnswerIsReplayed() {
    assertEquals(RUN, IdempotencyRules.decide(null, "f", NOW));
    assertEquals(REPLAY, IdempotencyRules.decide(record("f", 201, NOW - 1000), "f", NOW));
    assertEquals(REPLAY, IdempotencyRules.decide(record("f", 400, NOW - 1000), "f", NOW));
  }

  @Test
  void anotherBodyIsRefusedEvenWhileTheFirstRuns() {
    assertEquals(REUSED, IdempotencyRules.decide(record("f", 201, NOW), "g", NOW));
    assertEquals(REUSED, IdempotencyRules.decide(record("f", null, NOW), "g", NOW));
  }

  @Test
  void aRunningFirstRequestIsInProgressUntilItIsStale() {
    assertEquals(IN_PROGRESS, IdempotencyRules.decide(record("f", null, NOW - 59_000), "f", NOW));
    assertEquals(RUN, IdempotencyRules.decide(record("f", null, NOW - 60_000), "f", NOW));
  }

  @Test
  void keysExpireAfter24Hours() {
    assertEquals(REPLAY, IdempotencyRules.decide(record("f", 201, NOW - DAY + 1), "f", NOW));
    assertEquals(RUN, IdempotencyRules.decide(record("f", 201, NOW - DAY), "f", NOW));
    assertEquals(RUN, IdempotencyRules.decide(record("f", 201, NOW - DAY), "g", NOW));
  }

  @Test
  void successesAndClientErrorsAreKeptButNotLimitsOrServerErrors() {
    assertTrue(IdempotencyRules.keeps(200));
    assertTrue(IdempotencyRules.keeps(201));
    assertTrue(IdempotencyRules.keeps(403));
    assertTrue(IdempotencyRules.keeps(422));
    assertFalse(IdempotencyRules.keeps(429));
    assertFalse(IdempotencyRules.keeps(500));
    assertFalse(IdempotencyRules.keeps(503));
  }

  @Test
  void theFingerprintIgnoresJsonSpacingAndKeyOrderButNotValues() {
    String a =
        IdempotencyRules.fingerprint(bytes("{\"name\": \"web\", \"plan\": {\"a\": 1, \"b\": 2}}"));
    String b = IdempotencyRules.fingerprint(bytes("{\"plan\":{\"b\":2,\"a\":1},\"name\":\"web\"}"));
    String c =
        IdempotencyRules.fingerprint(bytes("{\"name\": \"ios\", \"plan\": {\"a\": 1, \"b\": 2}}"));
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(64, IdempotencyRules.fingerprint(new byte[0]).length());
    assertNotEquals(
        IdempotencyRules.fingerprint(bytes("not json")),
        IdempotencyRules.fingerprint(bytes("not  json")),
        "other bytes are fingerprinted as they are");
  }

  @Test
  void aKeptAnswerOpensOnlyWithTheCredentialThatSealedIt() throws Exception {
    String sealed = AnswerCipher.encrypt("Bearer mt_one", "{\"key\": \"rk_secret\"}");
    assertFalse(sealed.contains("rk_secret"));
    assertEquals("{\"key\": \"rk_secret\"}", AnswerCipher.decrypt("Bearer mt_one", sealed));
    org.junit.jupiter.api.Assertions.assertThrows(
        java.security.GeneralSecurityException.class,
        () -> AnswerCipher.decrypt("Bearer mt_two", sealed));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
