package io.tracetics.importer;

import io.tracetics.ingest.IngestEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The event id of an imported row that has none: {@code import-}, the row's record number (1-based,
 * header not counted, 12 digits), {@code -} and 128 bits of SHA-256, in hex, over the row's
 * validated content (user, event name, event time in ms, metadata JSON, each followed by a zero
 * byte) and the record number. Importing the same file again therefore derives the same ids and
 * stores nothing new, while rows identical in content stay distinct events. The record number comes
 * first so that one import's ids ascend and land at the end of the unique index instead of at
 * random places in it. Stored ids depend on this function: changing it makes re-imports store every
 * row again.
 *
 * <p>Not thread-safe: it reuses one digest.
 */
final class DerivedEventId {
  private static final String PREFIX = "import-";
  private static final int RECORD_DIGITS = 12;
  private static final int HASH_BYTES = 16;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final MessageDigest sha256;

  DerivedEventId() {
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The event with the id derived for it as its client event id. */
  IngestEvent assign(IngestEvent event, long record) {
    return new IngestEvent(
        event.eventName(),
        event.userIdentifier(),
        event.metadataJson(),
        event.eventTimeMs(),
        event.receivedAtMs(),
        null,
        of(event, record));
  }

  /** The id of the event at {@code record}. */
  String of(IngestEvent event, long record) {
    sha256.reset();
    update(event.userIdentifier());
    update(event.eventName());
    update(Long.toString(event.eventTimeMs()));
    update(event.metadataJson() == null ? "" : event.metadataJson());
    update(Long.toString(record));
    byte[] digest = sha256.digest();
    char[] out = new char[PREFIX.length() + RECORD_DIGITS + 1 + 2 * HASH_BYTES];
    PREFIX.getChars(0, PREFIX.length(), out, 0);
    int p = PREFIX.length() + RECORD_DIGITS;
    for (long r = record; p > PREFIX.length(); r /= 10) {
      out[--p] = (char) ('0' + r % 10);
    }
    p = PREFIX.length() + RECORD_DIGITS;
    out[p++] = '-';
    for (int i = 0; i < HASH_BYTES; i++) {
      out[p++] = HEX[(digest[i] >> 4) & 0xf];
      out[p++] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  private void update(String value) {
    sha256.update(value.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
  }
}
