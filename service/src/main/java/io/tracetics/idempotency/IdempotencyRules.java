package io.tracetics.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tracetics.tenancy.Secrets;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The rules of {@code Idempotency-Key}, pure: which keys are valid, what makes two requests the
 * same, what an earlier record of the key means for a new request, and which answers are kept.
 */
public final class IdempotencyRules {
  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";
  public static final int MAX_KEY_LENGTH = 255;

  /** A key is remembered this long after its first request. */
  public static final Duration TTL = Duration.ofHours(24);

  /**
   * A first request still unanswered after this long is taken to have died with its node: a retry
   * runs it again instead of getting 409.
   */
  public static final Duration STALE_AFTER = Duration.ofMinutes(1);

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private IdempotencyRules() {}

  /** What a request does with a key, given the key's record. */
  public enum Outcome {
    /** No live record (none, expired, or abandoned): run the request and record its answer. */
    RUN,
    /** The first request was answered: replay its answer. */
    REPLAY,
    /** The key was used with another body: 422 idempotency_key_reused. */
    REUSED,
    /** The first request is still running: 409 idempotency_in_progress. */
    IN_PROGRESS
  }

  /** A key's record as stored: its request's fingerprint, its answer's status (null: running). */
  public record Record(String fingerprint, Integer status, long createdAtMs, long expiresAtMs) {}

  /** Why a key is refused, or empty: 1 to 255 visible ASCII characters. */
  public static Optional<String> keyProblem(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      return Optional.of("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return Optional.of("Idempotency-Key must be visible ASCII characters (no spaces)");
      }
    }
    return Optional.empty();
  }

  public static Outcome decide(Record existing, String fingerprint, long nowMs) {
    if (existing == null || existing.expiresAtMs() <= nowMs) {
      return Outcome.RUN;
    }
    if (!existing.fingerprint().equals(fingerprint)) {
      return Outcome.REUSED;
    }
    if (existing.status() == null) {
      return nowMs - existing.createdAtMs() >= STALE_AFTER.toMillis()
          ? Outcome.RUN
          : Outcome.IN_PROGRESS;
    }
    return Outcome.REPLAY;
  }

  /**
   * Whether an answer is kept for replay: every success and client error, except 429 (a limit that
   * may lift) and server errors, after which a retry runs the request again.
   */
  public static boolean keeps(int status) {
    return status < 500 && status != 429;
  }

  /**
   * The SHA-256 of a request body: of its canonical JSON (object keys sorted, no whitespace) when
   * it is JSON, so the same request sent with other spacing or key order is the same; else of its
   * bytes.
   */
  public static String fingerprint(byte[] body) {
    byte[] canonical = body;
    if (body.length > 0) {
      try {
        Object value = CANONICAL.readValue(body, Object.class);
        canonical = CANONICAL.writeValueAsBytes(value);
      } catch (IOException notJson) {
        // fingerprint the bytes
      }
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** The caller a key belongs to: the SHA-256 of its Authorization header. */
  public static String caller(String authorization) {
    return Secrets.hashHex(authorization);
  }
}
