package io.tracetics.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private final AtomicReference<Optional<String>> database =
      new AtomicReference<>(Optional.empty());
  private final AtomicInteger databaseChecks = new AtomicInteger();
  private final Readiness readiness =
      new Readiness(
          () -> {
            databaseChecks.incrementAndGet();
            return database.get();
          });

  @Test
  void notReadyWhileStartingAndTheDatabaseIsNotAskedThen() {
    Readiness.Status status = readiness.status();
    assertFalse(status.ready());
    assertEquals("starting", status.reason());
    assertEquals(Readiness.Phase.STARTING, readiness.phase());
    assertEquals(0, databaseChecks.get());
  }

  @Test
  void readyOnceStartedWhileTheDatabaseAnswers() {
    readiness.started();
    Readiness.Status status = readiness.status();
    assertTrue(status.ready());
    assertNull(status.reason());
    assertEquals(1, databaseChecks.get());
  }

  @Test
  void notReadyWhileTheDatabaseIsUnreachableAndReadyAgainAfter() {
    readiness.started();
    database.set(Optional.of("MariaDB is unreachable."));
    Readiness.Status down = readiness.status();
    assertFalse(down.ready());
    assertEquals("database_unavailable", down.reason());
    assertEquals("MariaDB is unreachable.", down.message());

    database.set(Optional.empty());
    assertTrue(readiness.status().ready());
  }

  @Test
  void drainingWinsOverEverythingAndIsFinal() {
    readiness.started();
    readiness.draining();
    assertEquals("draining", readiness.status().reason());
    readiness.started();
    assertEquals(Readiness.Phase.DRAINING, readiness.phase());
    assertEquals("draining", readiness.status().reason());
    assertEquals(0, databaseChecks.get(), "a draining node does not ask the database");
  }

  @Test
  void drainingBeforeStartNeverBecomesReady() {
    readiness.draining();
    readiness.started();
    assertFalse(readiness.status().ready());
    assertEquals("draining", readiness.status().reason());
  }
}
