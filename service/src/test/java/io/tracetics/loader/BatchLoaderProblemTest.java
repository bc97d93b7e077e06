package io.tracetics.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which rows the loader quarantines before loading, and why. */
class BatchLoaderProblemTest {
  private static String problem(String user, String name, String metadata) {
    return BatchLoader.problem(new SourceEvent(1, 2, user, name, 0, 0, metadata));
  }

  @Test
  void loadableRowsHaveNoProblem() {
    assertNull(problem("u", "e", null));
    assertNull(problem("u", "e", "null"));
    assertNull(problem("u", "e", "{}"));
    assertNull(problem("u", "e", " {\"a\": [1, {\"b\": null}], \"c\": \"\\u00e9\"} "));
  }

  @Test
  void metadataMustBeAJsonObject() {
    assertEquals("metadata is not a JSON object", problem("u", "e", "[1, 2]"));
    assertEquals("metadata is not a JSON object", problem("u", "e", "\"text\""));
    assertEquals("metadata is not a JSON object", problem("u", "e", "42"));
    assertEquals("metadata is not a JSON object", problem("u", "e", ""));
  }

  @Test
  void brokenJsonIsNamedWithTheParsersReason() {
    String broken = problem("u", "e", "{\"a\": 1, bad}");
    assertTrue(broken.startsWith("metadata is not valid JSON: Unexpected character"), broken);
    String unfinished = problem("u", "e", "{\"a\": [1, 2");
    assertTrue(unfinished.startsWith("metadata is not valid JSON: "), unfinished);
  }

  @Test
  void userAndEventNameMustNotBeEmpty() {
    assertEquals("empty user_identifier", problem("", "e", null));
    assertEquals("empty event_name", problem("u", "", null));
  }
}
