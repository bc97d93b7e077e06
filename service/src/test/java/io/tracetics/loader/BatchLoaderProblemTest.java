package io.tracetics.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Which rows the loader quarantines before loading, and why. Metadata that is not a JSON object is
 * left out by the store itself (AnalyticsStoreTest) and quarantined inside the load (PipelineIT).
 */
class BatchLoaderProblemTest {
  private static String problem(String user, String name, String metadata) {
    return BatchLoader.problem(new SourceEvent(1, 2, user, name, 0, 0, metadata));
  }

  @Test
  void loadableRowsHaveNoProblem() {
    assertNull(problem("u", "e", null));
    assertNull(problem("u", "e", "{}"));
  }

  @Test
  void userAndEventNameMustNotBeEmpty() {
    assertEquals("empty user_identifier", problem("", "e", null));
    assertEquals("empty event_name", problem("u", "", null));
  }
}
