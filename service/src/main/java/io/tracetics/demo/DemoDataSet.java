package io.tracetics.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * What to generate: {@code users} visitors arriving over the {@code days} days before {@code end},
 * drawn from {@code seed}. The same four values always give the same events with the same ids; any
 * other value gives another data set with other ids and other users.
 */
public record DemoDataSet(int users, int days, long seed, Instant end) {
  public static final int DEFAULT_USERS = 20_000;
  public static final int DEFAULT_DAYS = 28;
  public static final long DEFAULT_SEED = 1;
  public static final int MAX_USERS = 100_000;
  public static final int MAX_DAYS = 365;

  public DemoDataSet {
    if (users < 1 || users > MAX_USERS) {
      throw new IllegalArgumentException("--users must be 1.." + MAX_USERS);
    }
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("--days must be 1.." + MAX_DAYS);
    }
    if (end == null || end.minusSeconds(86_400L * days).isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("--end must leave the whole period after 1970");
    }
  }

  /** The default end: the start of the current UTC day, so reruns on one day match. */
  public static Instant today(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** An ISO date ({@code 2026-12-07}, its start in UTC) or instant ({@code ...T12:00:00Z}). */
  public static Instant parseEnd(String text) {
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notADate) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--end must be an ISO date (2026-12-07) or instant (2026-12-07T12:00:00Z): " + text);
      }
    }
  }

  /** The first instant of the period. */
  public Instant start() {
    return end.minusSeconds(86_400L * days);
  }

  /**
   * Eight hex digits naming this data set (64 bits of SHA-256 over the four values, 32 shown): the
   * prefix of its event ids, and the seed of its random numbers.
   */
  public String key() {
    return String.format("%08x", keyBits() >>> 32);
  }

  long keyBits() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          (users + "/" + days + "/" + seed + "/" + end.toEpochMilli())
              .getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sha.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
