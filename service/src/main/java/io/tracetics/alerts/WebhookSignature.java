package io.tracetics.alerts;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature, in Stripe's scheme: header {@value #HEADER} is {@code t=<unix
 * seconds>,v1=<hex HMAC-SHA256>} where the HMAC's key is the alert's whole secret (UTF-8, {@code
 * whsec_} prefix included) and its message is {@code "<t>.<raw body>"}. Receivers recompute it over
 * the bytes they received and compare in constant time, and refuse an old {@code t}.
 */
public final class WebhookSignature {
  public static final String HEADER = "X-Tracetics-Signature";
  public static final String SECRET_PREFIX = "whsec_";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** 256 random bits. */
  private static final int SECRET_BYTES = 32;

  private WebhookSignature() {}

  /** A new alert secret: {@code whsec_} and 256 random bits, base64url. */
  public static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The header's value for {@code body} sent at {@code unixSeconds}. */
  public static String header(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds, body);
  }

  /** The hex HMAC-SHA256 of {@code "<t>.<body>"} under {@code secret}. */
  public static String hmacHex(String secret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is always available", e);
    }
  }
}
