package io.tracetics.actors;

import io.tracetics.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of an actors page: the person key the previous page ended with (actors
 * come in person key order, so the next page starts right after it, even when the cell changed
 * between the calls).
 */
public final class ActorCursor {
  private static final String PREFIX = "a1:";

  private ActorCursor() {}

  public static String encode(long personKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + personKey).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The person key in {@code cursor}.
   *
   * @throws ApiException 400 {@code invalid_cursor} when it is not one this service wrote
   */
  public static long decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (!text.startsWith(PREFIX)) {
        throw invalid();
      }
      return Long.parseLong(text.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  private static ApiException invalid() {
    return ApiException.badRequest(
        "invalid_cursor", "cursor is not a next_cursor of an actors page; start without one");
  }
}
