package io.tracetics.actors;

import io.tracetics.engine.exec.ActorKey;
import io.tracetics.errors.ApiException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of an actors page: the key of the actor the previous page ended with
 * (actors come in key order, so the next page starts right after it, even when the cell changed
 * between the calls). Its text is versioned by a prefix: {@code a1:} and a person key for a funnel
 * counting persons, {@code u1:} and the unit's value (UTF-8) for a funnel counting units.
 */
public final class ActorCursor {
  private static final String PERSON = "a1:";
  private static final String UNIT = "u1:";

  private ActorCursor() {}

  public static String encode(ActorKey key) {
    String text =
        key instanceof ActorKey.Unit u ? UNIT + u.value() : PERSON + ((ActorKey.Person) key).key();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key in {@code cursor}.
   *
   * @throws ApiException 400 {@code invalid_cursor} when it is not one this service wrote
   */
  public static ActorKey decode(String cursor) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor)))
              .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw invalid();
    }
    if (text.startsWith(UNIT)) {
      return new ActorKey.Unit(text.substring(UNIT.length()));
    }
    if (text.startsWith(PERSON)) {
      try {
        return new ActorKey.Person(Long.parseLong(text.substring(PERSON.length())));
      } catch (NumberFormatException e) {
        throw invalid();
      }
    }
    throw invalid();
  }

  static ApiException invalid() {
    return ApiException.badRequest(
        "invalid_cursor", "cursor is not a next_cursor of an actors page; start without one");
  }
}
