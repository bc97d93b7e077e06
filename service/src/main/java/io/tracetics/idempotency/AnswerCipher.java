package io.tracetics.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a kept answer (AES-256-GCM) with a key derived from the caller's credential, which the
 * database never holds: a kept answer that carries a one-time secret is readable only by a request
 * that presents the same credential again.
 */
final class AnswerCipher {
  private static final String KEY_CONTEXT = "tracetics idempotency answer\n";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private AnswerCipher() {}

  static String encrypt(String authorization, String plain) {
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key(authorization), new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
      return Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is always available", e);
    }
  }

  /** The answer, or an exception when the credential is not the one that sealed it. */
  static String decrypt(String authorization, String sealed) throws GeneralSecurityException {
    byte[] in = Base64.getDecoder().decode(sealed);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE, key(authorization), new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
    return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
  }

  private static SecretKeySpec key(String authorization) throws GeneralSecurityException {
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest((KEY_CONTEXT + authorization).getBytes(StandardCharsets.UTF_8));
    return new SecretKeySpec(digest, "AES");
  }
}
