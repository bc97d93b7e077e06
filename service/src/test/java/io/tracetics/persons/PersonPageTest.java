package io.tracetics.persons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.store.EventCursor;
import io.tracetics.engine.store.PersonLookup;
import io.tracetics.errors.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page parameters: defaults, bounds and the cursor, and the 400s for anything else. */
class PersonPageTest {
  @Test
  void defaultsAreTheNewestFiftyEvents() {
    assertEquals(new PersonPage(50, EventCursor.START), PersonPage.of(null, null));
    assertEquals(new PersonPage(50, EventCursor.START), PersonPage.of(null, ""));
  }

  @Test
  void aLimitFromOneToTheMaximumAndACursorOfAnEarlierAnswer() {
    EventCursor cursor = new EventCursor(1_767_225_600_000L, 42);
    assertEquals(new PersonPage(1, cursor), PersonPage.of("1", cursor.token()));
    assertEquals(
        new PersonPage(PersonLookup.MAX_EVENTS, EventCursor.START),
        PersonPage.of(String.valueOf(PersonLookup.MAX_EVENTS), null));
    assertEquals(new PersonPage(7, EventCursor.START), PersonPage.of(" 7 ", null));
  }

  @Test
  void anythingElseIsABadRequestThatSaysWhich() {
    for (String limit :
        List.of("0", "-1", "1001", "ten", "", "2.5", "99999999999", String.valueOf((char) 0))) {
      assertRefused("limit", () -> PersonPage.of(limit, null), limit);
    }
    for (String cursor : List.of("x", "MTIz", "not a cursor", "%3D")) {
      assertRefused("cursor", () -> PersonPage.of("5", cursor), cursor);
    }
  }

  private static void assertRefused(String parameter, Runnable call, String input) {
    try {
      call.run();
    } catch (ApiException e) {
      assertEquals(400, e.status(), input);
      assertEquals("invalid_parameter", e.error(), input);
      assertTrue(e.getMessage().contains("'" + parameter + "'"), e.getMessage());
      return;
    }
    throw new AssertionError("accepted " + input);
  }
}
