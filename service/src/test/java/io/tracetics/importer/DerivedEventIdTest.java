package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracetics.ingest.IngestEvent;
import org.junit.jupiter.api.Test;

class DerivedEventIdTest {
  private final DerivedEventId ids = new DerivedEventId();

  private static IngestEvent event(String user, String name, long timeMs, String metadata) {
    return new IngestEvent(name, user, metadata, timeMs, 99, 7L, null);
  }

  /** Stored ids depend on these values: a change would make re-imports store every row again. */
  @Test
  void idsArePinned() {
    assertEquals(
        "import-000000000001-7831b43b26cb07d48d67fc184540f22d",
        ids.of(event("u1", "signup", 1_700_000_000_000L, "{\"plan\":\"pro\"}"), 1));
    assertEquals(
        "import-000000000042-ed0f91601d72d034eb34a260c75e11d5",
        ids.of(event("u1", "signup", 1_700_000_000_000L, null), 42));
    assertEquals(
        "import-123456789012-b984eee1cfcd1403d41b83a022d24416",
        ids.of(event("ü", "x", -5, ""), 123_456_789_012L));
  }

  @Test
  void theReceivedAndSentTimesDoNotCount() {
    IngestEvent a = event("u", "e", 1, null);
    IngestEvent b = new IngestEvent("e", "u", null, 1, 12_345, null, null);
    assertEquals(ids.of(a, 3), ids.of(b, 3));
  }

  @Test
  void identicalRowsAtOtherRecordsGetOtherIds() {
    IngestEvent same = event("u", "e", 1, "{}");
    assertNotEquals(ids.of(same, 1), ids.of(same, 2));
    assertNotEquals(ids.of(event("u", "e", 1, null), 1), ids.of(event("u", "e", 2, null), 1));
    // The separator keeps field boundaries apart.
    assertNotEquals(ids.of(event("ab", "c", 1, null), 1), ids.of(event("a", "bc", 1, null), 1));
  }

  @Test
  void idsOfOneImportAscendWithTheRecord() {
    IngestEvent e = event("u", "e", 1, null);
    assertEquals(-1, Integer.signum(ids.of(e, 9).compareTo(ids.of(e, 10))));
  }

  @Test
  void assignSetsTheIdAndDropsTheSentTime() {
    IngestEvent e = event("u", "e", 1, "{\"k\":1}");
    IngestEvent assigned = ids.assign(e, 5);
    assertEquals(ids.of(e, 5), assigned.clientEventId());
    assertNull(assigned.sentAtMs());
    assertEquals(
        new IngestEvent("e", "u", "{\"k\":1}", 1, 99, null, assigned.clientEventId()), assigned);
  }
}
