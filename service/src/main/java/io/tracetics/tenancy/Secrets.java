package io.tracetics.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Generates and hashes secrets. A secret is 192 random bits (base64url) behind a kind prefix.
 * Because secrets are long and random, one SHA-256 is the right hash: it is what we store and look
 * up, and it is compared in constant time.
 */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int RANDOM_BYTES = 24;

  /**
   * Characters of a secret kept in clear (prefix + a few random ones) so people can tell keys
   * apart.
   */
  public static final int VISIBLE_PREFIX_LENGTH = 10;

  private Secrets() {}

  public static String generate(CredentialKind kind) {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return kind.prefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  public static String hashHex(String secret) {
    return HexFormat.of().formatHex(hash(secret));
  }

  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /** Compares two secrets in time independent of where they differ. */
  public static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(hash(a), hash(b));
  }

  public static String visiblePrefix(String secret) {
    return secret.substring(0, Math.min(VISIBLE_PREFIX_LENGTH, secret.length()));
  }
}
