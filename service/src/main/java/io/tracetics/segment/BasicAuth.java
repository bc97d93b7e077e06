package io.tracetics.segment;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The username of an {@code Authorization: Basic} header, where Segment clients put the write key
 * (with an empty password). Pure.
 */
final class BasicAuth {
  private static final String SCHEME = "basic ";

  /** Longer headers name no key (a write key is 35 characters). */
  private static final int MAX_HEADER_CHARS = 512;

  private BasicAuth() {}

  /** The username, or empty when the header is not Basic credentials with a non-empty username. */
  static Optional<String> username(String authorization) {
    if (authorization == null || authorization.length() > MAX_HEADER_CHARS) {
      return Optional.empty();
    }
    String header = authorization.strip();
    if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(SCHEME.length()).strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    String username = colon < 0 ? decoded : decoded.substring(0, colon);
    return username.isEmpty() ? Optional.empty() : Optional.of(username);
  }
}
