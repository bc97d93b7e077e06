package io.tracetics.importer;

import io.tracetics.identity.Identify;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The idempotency id of an imported identify that has none (an identify an event implies, or an
 * identify record without an id): {@code import-identify-} and 128 bits of SHA-256, in hex, over
 * the anonymous id and the user, and, when it sets traits, over the traits and the time (each
 * followed by a zero byte). A link is the same link whenever it is made, so every record implying
 * it, and every re-import, stores it once; traits set at another time are another identify, since
 * the latest traits win. Stored ids depend on this function: changing it makes re-imports store
 * every identify again.
 *
 * <p>Not thread-safe: it reuses one digest.
 */
final class DerivedIdentifyId {
  private static final String PREFIX = "import-identify-";
  private static final int HASH_BYTES = 16;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final MessageDigest sha256;

  DerivedIdentifyId() {
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The identify with the id derived for it as its client message id. */
  Identify assign(Identify identify) {
    return new Identify(
        identify.anonymousId(),
        identify.userIdentifier(),
        identify.traitsJson(),
        identify.identifiedAtMs(),
        identify.receivedAtMs(),
        of(identify));
  }

  /** The id of the identify. */
  String of(Identify identify) {
    sha256.reset();
    update(identify.anonymousId() == null ? "" : identify.anonymousId());
    update(identify.userIdentifier());
    if (identify.traitsJson() != null) {
      update(identify.traitsJson());
      update(Long.toString(identify.identifiedAtMs()));
    }
    byte[] digest = sha256.digest();
    StringBuilder out = new StringBuilder(PREFIX.length() + 2 * HASH_BYTES).append(PREFIX);
    for (int i = 0; i < HASH_BYTES; i++) {
      out.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
    }
    return out.toString();
  }

  private void update(String value) {
    sha256.update(value.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
  }
}
