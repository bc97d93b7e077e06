package io.tracetics.sharing;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A share link's token: 192 random bits (base64url, no padding) behind {@value #PREFIX}. Long and
 * random like the API's secrets, so one SHA-256 is what is stored and looked up.
 */
public final class ShareTokens {
  public static final String PREFIX = "sh_";

  /** Random bytes of a token: 192 bits, well above the 128 a guess would have to beat. */
  static final int RANDOM_BYTES = 24;

  /** Characters of a token: the prefix and the base64url text of its random bytes. */
  static final int LENGTH = PREFIX.length() + (RANDOM_BYTES * 4 + 2) / 3;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ShareTokens() {}

  public static String generate() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code text} can be a token at all (anything else is unknown without a lookup). */
  public static boolean wellFormed(String text) {
    if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
      return false;
    }
    for (int i = PREFIX.length(); i < text.length(); i++) {
      char c = text.charAt(i);
      boolean base64url =
          c >= 'A' && c <= 'Z'
              || c >= 'a' && c <= 'z'
              || c >= '0' && c <= '9'
              || c == '-'
              || c == '_';
      if (!base64url) {
        return false;
      }
    }
    return true;
  }
}
