package io.tracetics.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShareTokensTest {
  @Test
  void aTokenIsThePrefixAndAtLeast128RandomBitsInBase64url() {
    String token = ShareTokens.generate();
    assertTrue(token.startsWith("sh_"), token);
    assertTrue(token.matches("sh_[A-Za-z0-9_-]+"), token);
    byte[] random = Base64.getUrlDecoder().decode(token.substring(3));
    assertTrue(random.length * 8 >= 128, "random bits: " + random.length * 8);
    assertEquals(ShareTokens.LENGTH, token.length());
    assertTrue(ShareTokens.wellFormed(token));
  }

  /**
   * Tokens do not repeat, and every bit position takes both values across them (a cheap check that
   * the random part is not constant or truncated).
   */
  @Test
  void tokensDiffer() {
    Set<String> seen = new HashSet<>();
    int bits = ShareTokens.RANDOM_BYTES * 8;
    int[] ones = new int[bits];
    int n = 2000;
    for (int i = 0; i < n; i++) {
      String token = ShareTokens.generate();
      assertTrue(seen.add(token), "repeated token");
      byte[] random = Base64.getUrlDecoder().decode(token.substring(3));
      for (int b = 0; b < bits; b++) {
        if ((random[b / 8] >> (b % 8) & 1) == 1) {
          ones[b]++;
        }
      }
    }
    for (int b = 0; b < bits; b++) {
      // A fair bit is 1 in 1000 ± 3.5σ (σ ≈ 22) of 2000 draws.
      assertTrue(ones[b] > 900 && ones[b] < 1100, "bit " + b + " was 1 in " + ones[b] + " of " + n);
    }
  }

  @Test
  void onlyTokensAreWellFormed() {
    String token = ShareTokens.generate();
    assertFalse(ShareTokens.wellFormed(null));
    assertFalse(ShareTokens.wellFormed(""));
    assertFalse(ShareTokens.wellFormed(token.substring(0, token.length() - 1)));
    assertFalse(ShareTokens.wellFormed(token + "A"));
    assertFalse(ShareTokens.wellFormed("mt_" + token.substring(3)));
    assertFalse(ShareTokens.wellFormed(token.substring(0, 10) + "/" + token.substring(11)));
    assertFalse(ShareTokens.wellFormed(token.substring(0, 10) + "=" + token.substring(11)));
    assertFalse(ShareTokens.wellFormed(token.substring(0, 10) + "é" + token.substring(11)));
  }
}
