package io.tracetics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  /** The test's own HMAC is right (RFC 4231, test case 2), so the next test checks something. */
  @Test
  void theReferenceHmacMatchesRfc4231() {
    assertEquals(
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        hmacOf("Jefe", "what do ya want for nothing?"));
  }

  /** The header's v1 is the HMAC of the message a receiver builds: t, a dot, the raw body. */
  @Test
  void aReceiverRecomputesTheSameSignature() {
    String secret = "whsec_test";
    byte[] body = "{\"event\":\"fired\"}".getBytes(StandardCharsets.UTF_8);
    String header = WebhookSignature.header(secret, 1_767_225_600L, body);
    assertEquals("t=1767225600,v1=" + hmacOf(secret, "1767225600.{\"event\":\"fired\"}"), header);
  }

  @Test
  void theSignatureDependsOnSecretTimeAndEveryByte() {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    String base = WebhookSignature.hmacHex("whsec_a", 100, body);
    assertNotEquals(base, WebhookSignature.hmacHex("whsec_b", 100, body));
    assertNotEquals(base, WebhookSignature.hmacHex("whsec_a", 101, body));
    assertNotEquals(
        base,
        WebhookSignature.hmacHex("whsec_a", 100, "{\"a\":2}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void secretsCarryThePrefixAnd256RandomBits() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String secret = WebhookSignature.newSecret();
      assertTrue(secret.startsWith("whsec_"));
      assertEquals(32, Base64.getUrlDecoder().decode(secret.substring(6)).length);
      assertTrue(seen.add(secret));
    }
  }

  private static String hmacOf(String key, String message) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return java.util.HexFormat.of()
          .formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
