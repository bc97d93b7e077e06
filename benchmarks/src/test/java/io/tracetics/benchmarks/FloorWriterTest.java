package io.tracetics.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.ingest.GroupCommitWriter.WriteOutcome;
import io.tracetics.ingest.IngestEvent;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The floor answers at once: every event stored, none a duplicate, none over a quota. */
class FloorWriterTest {
  @Test
  void everyEventIsStoredAtOnce() {
    List<IngestEvent> events = Collections.nCopies(3, null);
    CompletableFuture<WriteOutcome> answer =
        new FloorWriter().write(TenantId.of(1), AppId.of(2), events);
    assertTrue(answer.isDone());
    WriteOutcome outcome = answer.join();
    assertEquals(3, outcome.stored());
    assertEquals(0, outcome.duplicates());
    assertEquals(List.of(), outcome.quotaRejected());
  }
}
