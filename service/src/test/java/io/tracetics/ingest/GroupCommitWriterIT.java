package io.tracetics.ingest;

import static io.tracetics.ingest.IngestFixtures.countEvents;
import static io.tracetics.ingest.IngestFixtures.usage;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.queue.IngestNoticePublisher;
import io.tracetics.testing.TestJdbi;
import io.tracetics.testing.TestServers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The group-commit writer on the real database, without HTTP in front: groups that overflow a
 * transaction, several writers with several tenants, and what happens to requests still queued at
 * shutdown.
 */
class GroupCommitWriterIT {
  private final Jdbi jdbi = TestJdbi.create();
  private final MetricRegistry registry = new MetricRegistry();
  private RedisClient redis;
  private IngestNoticePublisher notices;

  @BeforeEach
  void setUp() {
    redis = RedisClient.create(TestServers.get().redisUrl());
    notices =
        new IngestNoticePublisher(
            redis,
            "tracetics:test-writer-notices",
            1_000,
            registry.meter("published"),
            registry.meter("failures"));
    notices.start();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    notices.stop();
    redis.close();
  }

  private GroupCommitWriter writer(int maxEventsPerTransaction, int writerThreads) {
    return writer(maxEventsPerTransaction, writerThreads, new IngestConfig());
  }

  private GroupCommitWriter writer(
      int maxEventsPerTransaction, int writerThreads, IngestConfig config) {
    config.maxEventsPerTransaction = maxEventsPerTransaction;
    config.writerThreads = writerThreads;
    return new GroupCommitWriter(
        jdbi, config, new IngestMetrics(registry), registry, notices, Clock.systemUTC());
  }

  /** A tenant on the free plan with one app, straight in the tables. */
  private record Owner(TenantId tenant, AppId app) {}

  private Owner newOwner() {
    return jdbi.inTransaction(
        h -> {
          long tenant =
              h.createUpdate("INSERT INTO tenants (name) VALUES (:name)")
                  .bind("name", "writer-it-" + System.nanoTime())
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          long app =
              h.createUpdate("INSERT INTO tracked_apps (tenant_id, name) VALUES (:t, 'web')")
                  .bind("t", tenant)
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          return new Owner(new TenantId(tenant), new AppId(app));
        });
  }

  private static List<IngestEvent> events(int count, String idPrefix) {
    long now = System.currentTimeMillis();
    List<IngestEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          new IngestEvent(
              "page_viewed", "user_" + i, "{\"i\":" + i + "}", now, now, null, idPrefix + "-" + i));
    }
    return events;
  }

  @Test
  void requestsCarriedOverToTheNextTransactionAreCommittedToo() throws Exception {
    // Queued before the writer starts, so its first groups must leave requests for the next one.
    GroupCommitWriter writer = writer(10, 1);
    Owner owner = newOwner();
    List<GroupCommitWriter.PendingWrite> writes = new ArrayList<>();
    int expected = 0;
    for (int i = 0; i < 40; i++) {
      int size = 3 + i % 6; // 3..8 events: any two or three overflow a 10-event transaction
      writes.add(writer.submit(owner.tenant(), owner.app(), events(size, "carry-" + i)));
      expected += size;
    }
    writer.start();
    try {
      for (GroupCommitWriter.PendingWrite write : writes) {
        GroupCommitWriter.WriteOutcome outcome = write.done.get(20, TimeUnit.SECONDS);
        assertEquals(write.events.size(), outcome.stored());
        assertEquals(0, outcome.duplicates());
      }
    } finally {
      writer.stop();
    }
    assertEquals(expected, countEvents(owner.app().value()));
    assertEquals(expected, usage(owner.tenant().value())[0]);
  }

  @Test
  void severalWritersAndTenantsCommitEveryEventOnceWithExactUsage() throws Exception {
    GroupCommitWriter writer = writer(25, 3);
    writer.start();
    List<Owner> owners = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      owners.add(newOwner());
    }
    List<GroupCommitWriter.PendingWrite> writes = new ArrayList<>();
    List<Thread> senders = new ArrayList<>();
    SplittableRandom seeds = new SplittableRandom(42);
    try {
      for (int s = 0; s < 8; s++) {
        SplittableRandom random = seeds.split();
        int sender = s;
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < 60; i++) {
                    int o = random.nextInt(owners.size());
                    int size = 1 + random.nextInt(12);
                    // Every third request repeats the previous one's ids: stored once, answered
                    // as duplicates.
                    String prefix = "s" + sender + "-" + (i % 3 == 2 ? i - 1 : i) + "-o" + o;
                    GroupCommitWriter.PendingWrite write =
                        writer.submit(
                            owners.get(o).tenant(), owners.get(o).app(), events(size, prefix));
                    synchronized (writes) {
                      writes.add(write);
                    }
                  }
                });
        senders.add(thread);
        thread.start();
      }
      for (Thread thread : senders) {
        thread.join();
      }
      long[] stored = new long[owners.size()];
      for (GroupCommitWriter.PendingWrite write : writes) {
        GroupCommitWriter.WriteOutcome outcome = write.done.get(30, TimeUnit.SECONDS);
        assertEquals(write.events.size(), outcome.stored() + outcome.duplicates());
        int o = owners.indexOf(new Owner(write.tenant, write.app));
        stored[o] += outcome.stored();
      }
      for (int o = 0; o < owners.size(); o++) {
        AppId app = owners.get(o).app();
        long distinct =
            writes.stream()
                .filter(w -> w.app.equals(app))
                .flatMap(w -> w.events.stream())
                .map(IngestEvent::clientEventId)
                .distinct()
                .count();
        assertEquals(distinct, stored[o], "stored once per distinct event id");
        assertEquals(distinct, countEvents(app.value()));
        assertEquals(distinct, usage(owners.get(o).tenant().value())[0]);
      }
    } finally {
      writer.stop();
    }
  }

  @Test
  void requestsStillQueuedAtShutdownFailWithRetryableUnavailable() throws Exception {
    GroupCommitWriter writer = writer(10, 2); // never started: nothing takes the queued requests
    Owner owner = newOwner();
    GroupCommitWriter.PendingWrite write =
        writer.submit(owner.tenant(), owner.app(), events(3, "shutdown"));
    writer.stop();
    ExecutionException failure =
        assertThrows(ExecutionException.class, () -> write.done.get(5, TimeUnit.SECONDS));
    IngestFailure cause = assertInstanceOf(IngestFailure.class, failure.getCause());
    assertEquals(IngestFailure.Reason.DATABASE_UNAVAILABLE, cause.reason());
    assertEquals(0, countEvents(owner.app().value()));
  }

  @Test
  void aRequestNoWriterTookInTimeIsWithdrawnAndNeverStored() throws Exception {
    IngestConfig config = new IngestConfig();
    config.requestTimeout = Duration.milliseconds(200);
    GroupCommitWriter writer = writer(10, 1, config);
    Owner owner = newOwner();
    GroupCommitWriter.PendingWrite late =
        writer.submit(owner.tenant(), owner.app(), events(2, "late"));
    ExecutionException failure =
        assertThrows(ExecutionException.class, () -> writer.answer(late).get(5, TimeUnit.SECONDS));
    IngestFailure cause = assertInstanceOf(IngestFailure.class, failure.getCause());
    assertEquals(IngestFailure.Reason.NOT_TAKEN_IN_TIME, cause.reason());

    // The writer starts only now: it skips the withdrawn request and stores the next one.
    writer.start();
    try {
      GroupCommitWriter.PendingWrite next =
          writer.submit(owner.tenant(), owner.app(), events(3, "next"));
      assertEquals(3, writer.answer(next).get(20, TimeUnit.SECONDS).stored());
    } finally {
      writer.stop();
    }
    assertEquals(3, countEvents(owner.app().value()));
    assertEquals(3, usage(owner.tenant().value())[0]);
  }

  /** A one-thread writer with this commit delay and commitSiblings. */
  private GroupCommitWriter delayedWriter(
      int maxEventsPerTransaction, Duration commitDelay, int commitSiblings) {
    IngestConfig config = new IngestConfig();
    config.commitDelay = commitDelay;
    config.commitSiblings = commitSiblings;
    return writer(maxEventsPerTransaction, 1, config);
  }

  /**
   * Queues {@code requests} one-event requests before starting the writer, so its first group holds
   * all of them (the writer then counts as busy), and waits until they are committed.
   */
  private void startBusy(GroupCommitWriter writer, Owner owner, int requests) throws Exception {
    List<GroupCommitWriter.PendingWrite> busy = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      busy.add(writer.submit(owner.tenant(), owner.app(), events(1, "busy-" + i)));
    }
    writer.start();
    for (GroupCommitWriter.PendingWrite write : busy) {
      write.done.get(20, SECONDS);
    }
  }

  @Test
  void aBusyWriterWaitsTheCommitDelayForMoreRequestsToJoin() throws Exception {
    GroupCommitWriter writer = delayedWriter(1_000, Duration.seconds(2), 3);
    Owner owner = newOwner();
    try {
      startBusy(writer, owner, 4);
      // The last group reached commitSiblings, so the next request waits for others to join.
      long start = System.nanoTime();
      List<GroupCommitWriter.PendingWrite> joined = new ArrayList<>();
      joined.add(writer.submit(owner.tenant(), owner.app(), events(1, "first")));
      Thread.sleep(200);
      joined.add(writer.submit(owner.tenant(), owner.app(), events(1, "second")));
      joined.add(writer.submit(owner.tenant(), owner.app(), events(1, "third")));
      for (GroupCommitWriter.PendingWrite write : joined) {
        assertEquals(1, write.done.get(20, TimeUnit.SECONDS).stored());
      }
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 1_900);
      assertArrayEquals(
          new long[] {3, 4},
          registry
              .histogram(IngestMetrics.PREFIX + "groupCommit.requests")
              .getSnapshot()
              .getValues(),
          "group sizes: the three requests shared one commit");
    } finally {
      writer.stop();
    }
    assertEquals(4 + 3, countEvents(owner.app().value()));
  }

  @Test
  void aLightlyLoadedWriterCommitsAtOnceDespiteTheCommitDelay() throws Exception {
    GroupCommitWriter writer = delayedWriter(1_000, Duration.seconds(5), 3);
    Owner owner = newOwner();
    writer.start();
    try {
      for (int i = 0; i < 3; i++) { // each group holds one request: below commitSiblings
        long start = System.nanoTime();
        writer.submit(owner.tenant(), owner.app(), events(1, "quiet-" + i)).done.get(20, SECONDS);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2_500);
      }
    } finally {
      writer.stop();
    }
    assertEquals(3, countEvents(owner.app().value()));
  }

  @Test
  void aBusyWriterDoesNotWaitWhenAFullTransactionIsAlreadyQueued() throws Exception {
    GroupCommitWriter writer = delayedWriter(10, Duration.seconds(10), 2);
    Owner owner = newOwner();
    try {
      startBusy(writer, owner, 3);
      long start = System.nanoTime();
      GroupCommitWriter.PendingWrite full =
          writer.submit(owner.tenant(), owner.app(), events(10, "full"));
      assertEquals(10, full.done.get(20, SECONDS).stored());
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5_000);
    } finally {
      writer.stop();
    }
    assertEquals(13, countEvents(owner.app().value()));
  }
}
