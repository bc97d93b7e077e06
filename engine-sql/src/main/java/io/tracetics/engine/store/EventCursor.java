package io.tracetics.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a page of a person's events (newest first) ends: the last event given, by its time and id.
 * The next page starts strictly before it in (event time, event id) order, so a page boundary
 * inside one instant neither repeats nor skips events, and events loaded meanwhile do not shift it.
 *
 * <p>Clients carry it as an opaque {@link #token()}: base64url of {@code "<time ms>.<event id>"}.
 */
public record EventCursor(long eventTimeMillis, long eventId) {
  /** Before every event: the first page. */
  public static final EventCursor START = new EventCursor(Long.MAX_VALUE, Long.MAX_VALUE);

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final int MAX_TOKEN_LENGTH = 64;

  /** The cursor as the text clients pass back. */
  public String token() {
    return ENCODER.encodeToString(
        (eventTimeMillis + "." + eventId).getBytes(StandardCharsets.US_ASCII));
  }

  /** The cursor of a {@link #token()}; empty for anything that is not one. */
  public static Optional<EventCursor> parse(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
      int dot = text.indexOf('.');
      if (dot < 0) {
        return Optional.empty();
      }
      EventCursor cursor =
          new EventCursor(
              Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
      // Only the canonical text: one cursor, one token.
      return cursor.token().equals(token) ? Optional.of(cursor) : Optional.empty();
    } catch (IllegalArgumentException e) { // bad base64 or a bad number
      return Optional.empty();
    }
  }
}
