package io.tracetics.ingest;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import io.tracetics.db.DatabaseFailures;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.queue.IngestNoticePublisher;
import io.tracetics.tenancy.UsagePeriod;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: requests queue their events here and wait; a writer thread takes everything pending
 * in its queue (up to {@code maxEventsPerTransaction}) and stores it in ONE MariaDB transaction:
 *
 * <ol>
 *   <li>lock the tenants' {@code usage_counters} rows for the month (tenant order, bounded wait);
 *       this serialises each tenant's writes across nodes, so the checks below are exact;
 *   <li>find which client event ids are already stored (READ COMMITTED, after the lock, so it sees
 *       every earlier commit of the tenant);
 *   <li>decide with {@link Admission} which events are stored, which are duplicates (stored before
 *       or repeated inside the group) and which the plan's remaining monthly quota refuses;
 *   <li>insert one {@code ingest_batches} row, then the events with its id in one bulk INSERT;
 *   <li>add the newly stored (accepted) and quota-refused (rejected) counts to the counters;
 *   <li>commit, and only then complete the waiting requests and post the Redis notice.
 * </ol>
 *
 * Each tenant's requests go to one writer's queue ({@link WriteQueue}: tenant id modulo {@code
 * writerThreads}). A tenant's transactions serialise on its usage row anyway (step 1), so two
 * writers taking one tenant's requests would only split them into smaller groups that wait on each
 * other's lock; one writer per tenant puts all of them in the same commit, while writers of
 * different tenants commit in parallel.
 *
 * <p>A database that is down or hangs fails the group's requests (nothing acknowledged) and makes
 * new requests fail fast for {@code databaseRetryAfter}. Failures are {@link IngestFailure}s, which
 * {@link IngestService} turns into the API's answers. The queue is bounded in events; requests wait
 * at most {@code requestTimeout}, and a request that gives up before a writer took it is withdrawn,
 * so its events are never stored behind its back.
 *
 * <p>This class orchestrates: the queues and the wake-up of writers are {@link WriteQueue}, the
 * answers and their timeouts {@link WriteAnswers}, each writer's pinned connection {@link
 * WriterConnections}, the decision of a group {@link Admission}, its SQL {@link
 * GroupCommitStatements}.
 */
public final class GroupCommitWriter implements IngestWriter, Managed {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_ATTEMPTS = 3;
  private static final int ID_CHECK_CHUNK = 1_000;

  private static final int QUEUED = 0;
  private static final int TAKEN = 1;
  private static final int WITHDRAWN = 2;

  /** One request's events, waiting for a commit. */
  public static final class PendingWrite {
    final TenantId tenant;
    final AppId app;
    final List<IngestEvent> events;
    final CompletableFuture<WriteOutcome> done = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    PendingWrite(TenantId tenant, AppId app, List<IngestEvent> events) {
      this.tenant = tenant;
      this.app = app;
      this.events = events;
    }

    /** Gives up on a write no writer has taken yet; false if it is already being committed. */
    boolean withdraw() {
      return state.compareAndSet(QUEUED, WITHDRAWN);
    }

    /** A writer takes it into a group; false if its request withdrew it first. */
    boolean take() {
      return state.compareAndSet(QUEUED, TAKEN);
    }
  }

  /**
   * What happened to one request's events: how many were newly stored, how many were already stored
   * (duplicates, still a success), and which (indexes into the request's valid events) were refused
   * because the tenant's monthly quota ran out, with the quota's state after the commit ({@code
   * limit} null for a plan without one).
   */
  public record WriteOutcome(
      int stored,
      int duplicates,
      List<Integer> quotaRejected,
      String plan,
      Long limit,
      long used) {}

  private final WriterConnections connections;
  private final IngestConfig config;
  private final IngestMetrics metrics;
  private final IngestNoticePublisher notices;
  private final Clock clock;
  private final WriteQueue queue;
  private final WriteAnswers answers;
  private final List<Thread> writers = new ArrayList<>();
  private volatile long databaseDownUntilNanos = System.nanoTime();

  public GroupCommitWriter(
      Jdbi jdbi,
      IngestConfig config,
      IngestMetrics metrics,
      MetricRegistry registry,
      IngestNoticePublisher notices,
      Clock clock) {
    this.connections = new WriterConnections(jdbi);
    this.config = config;
    this.metrics = metrics;
    this.notices = notices;
    this.clock = clock;
    this.queue = new WriteQueue(config);
    this.answers = new WriteAnswers(config);
    metrics.registerQueueDepth(registry, queue::queuedEvents, queue::queuedRequests);
    for (int i = 0; i < queue.shards(); i++) {
      int shard = i;
      Thread thread = new Thread(() -> run(shard), "ingest-writer-" + i);
      thread.setDaemon(true);
      writers.add(thread);
    }
  }

  @Override
  public void start() {
    writers.forEach(Thread::start);
  }

  @Override
  public void stop() throws InterruptedException {
    queue.close();
    for (Thread writer : writers) {
      writer.join(TimeUnit.SECONDS.toMillis(15));
    }
    queue.failPending(GroupCommitWriter::unavailable);
    answers.stop(); // the answers already handed to it still go out
  }

  /** Queues the events ({@link #submit}) and returns their answer ({@link #answer}). */
  @Override
  public CompletableFuture<WriteOutcome> write(
      TenantId tenant, AppId app, List<IngestEvent> events) {
    return answer(submit(tenant, app, events));
  }

  /**
   * The request's answer: the outcome once its group is committed, or its failure ({@link
   * WriteAnswers#answer}).
   */
  public CompletableFuture<WriteOutcome> answer(PendingWrite pending) {
    return answers.answer(pending);
  }

  /**
   * Queues a request's events for the next group commit. Fails at once ({@link IngestFailure}) when
   * the database failed moments ago or the queue is full.
   */
  public PendingWrite submit(TenantId tenant, AppId app, List<IngestEvent> events) {
    if (!queue.isOpen() || System.nanoTime() - databaseDownUntilNanos < 0) {
      throw unavailable();
    }
    PendingWrite pending = new PendingWrite(tenant, app, events);
    queue.add(pending);
    return pending;
  }

  private static IngestFailure unavailable() {
    return new IngestFailure(IngestFailure.Reason.DATABASE_UNAVAILABLE);
  }

  private void run(int shard) {
    try {
      while (queue.isOpen() || queue.hasPending(shard)) {
        try {
          List<PendingWrite> group = queue.takeGroup(shard);
          if (!group.isEmpty()) {
            commit(group);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (RuntimeException e) {
          LOG.error("Ingest writer loop failed", e);
        }
      }
    } finally {
      connections.release();
    }
  }

  private void commit(List<PendingWrite> group) {
    for (int attempt = 1; ; attempt++) {
      try {
        GroupResult result;
        try (Timer.Context ignored = metrics.commit.time()) {
          result = writeInTransaction(group);
        }
        metrics.groupEvents.update(group.stream().mapToInt(w -> w.events.size()).sum());
        metrics.groupRequests.update(group.size());
        for (PendingWrite write : group) {
          WriteOutcome outcome = result.outcomes.get(write);
          metrics.accepted.inc(outcome.stored());
          metrics.duplicates.inc(outcome.duplicates());
          metrics.quotaRejected.inc(outcome.quotaRejected().size());
          write.done.complete(outcome);
        }
        connections.healthy();
        if (result.batchId > 0) {
          notices.publish(
              new IngestNoticePublisher.Notice(result.batchId, result.stored, result.apps));
        }
        return;
      } catch (RuntimeException e) {
        metrics.commitFailures.mark();
        if (isDatabaseUnavailable(e)) {
          databaseDownUntilNanos =
              System.nanoTime()
                  + TimeUnit.MILLISECONDS.toNanos(config.databaseRetryAfter.toMilliseconds());
          connections.suspect();
          LOG.warn(
              "Database unavailable; {} ingest request(s) failed, nothing stored: {} (cause: {})",
              group.size(),
              e.toString(),
              rootCause(e).toString());
          group.forEach(write -> write.done.completeExceptionally(unavailable()));
          return;
        }
        if (isRetryable(e) && attempt < MAX_ATTEMPTS) {
          continue;
        }
        if (group.size() > 1) {
          // Keep one bad request from failing the others: commit each on its own.
          LOG.warn("Group commit failed; retrying its {} requests one by one", group.size(), e);
          group.forEach(write -> commit(List.of(write)));
          return;
        }
        group.forEach(write -> write.done.completeExceptionally(e));
        return;
      }
    }
  }

  private GroupResult writeInTransaction(List<PendingWrite> group) {
    WriterConnections.Pinned held = null;
    try {
      held = connections.pinned();
      Connection connection = held.connection;
      WriterConnections.setNetworkTimeout(
          connection, (int) config.databaseTimeout.toMilliseconds());
      try {
        GroupResult result = write(held.statements, group);
        connection.commit();
        held.used();
        return result;
      } finally {
        WriterConnections.setNetworkTimeout(connection, 0);
      }
    } catch (SQLException | RuntimeException e) {
      connections.failed(held, e); // rolls back; the next group starts on a fresh connection
      if (e instanceof SQLException sql) {
        throw new WriteFailedException(sql);
      }
      throw (RuntimeException) e;
    }
  }

  private GroupResult write(GroupCommitStatements dao, List<PendingWrite> group)
      throws SQLException {
    long nowMs = clock.millis();
    String period = UsagePeriod.of(Instant.ofEpochMilli(nowMs));

    TreeSet<Long> tenantIds = new TreeSet<>();
    group.forEach(write -> tenantIds.add(write.tenant.value()));
    long lockWait = Math.max(1, config.databaseTimeout.toSeconds());
    Map<Long, Long> accepted = new HashMap<>();
    for (GroupCommitStatements.Usage usage : dao.lockUsage(period, tenantIds, lockWait)) {
      accepted.put(usage.tenantId(), usage.accepted());
    }
    for (Long tenant : tenantIds) {
      if (!accepted.containsKey(tenant)) {
        dao.insertUsage(tenant, period);
        accepted.put(tenant, 0L);
      }
    }
    Map<Long, GroupCommitStatements.Quota> quotas = new HashMap<>();
    for (GroupCommitStatements.Quota quota : dao.quotas(tenantIds)) {
      quotas.put(quota.tenantId(), quota);
    }

    Map<Long, Set<String>> storedIds = storedClientIds(dao, group);

    Map<Long, Admission.TenantMonth> months = new HashMap<>();
    for (Long tenant : tenantIds) {
      GroupCommitStatements.Quota quota = quotas.get(tenant);
      // A tenant without a row (deleted meanwhile) has no room: limit 0.
      months.put(
          tenant,
          new Admission.TenantMonth(
              accepted.get(tenant), quota == null ? Long.valueOf(0) : quota.maxMonthlyEvents()));
    }
    List<Admission.Request> requests = new ArrayList<>(group.size());
    for (PendingWrite write : group) {
      List<String> ids = new ArrayList<>(write.events.size());
      write.events.forEach(event -> ids.add(event.clientEventId()));
      requests.add(new Admission.Request(write.tenant.value(), write.app.value(), ids));
    }
    Admission.Decision decision = Admission.decide(months, storedIds, requests);

    List<BatchInsert.AppEvent> toStore = new ArrayList<>();
    Set<Long> apps = new TreeSet<>();
    for (int r = 0; r < group.size(); r++) {
      PendingWrite write = group.get(r);
      for (int index : decision.outcomes().get(r).stored()) {
        toStore.add(new BatchInsert.AppEvent(write.app, write.events.get(index)));
        apps.add(write.app.value());
      }
    }

    long batchId = 0;
    if (!toStore.isEmpty()) {
      batchId = dao.insertBatch(toStore.size(), nowMs);
      dao.insertEvents(batchId, toStore);
    }
    for (Map.Entry<Long, Admission.UsageDelta> delta : decision.usage().entrySet()) {
      dao.addUsage(
          delta.getKey(), period, delta.getValue().accepted(), delta.getValue().rejected());
    }

    Map<PendingWrite, WriteOutcome> outcomes = new IdentityHashMap<>();
    for (int r = 0; r < group.size(); r++) {
      PendingWrite write = group.get(r);
      Admission.Outcome outcome = decision.outcomes().get(r);
      GroupCommitStatements.Quota quota = quotas.get(write.tenant.value());
      outcomes.put(
          write,
          new WriteOutcome(
              outcome.stored().size(),
              outcome.duplicates(),
              outcome.quotaRejected(),
              quota == null ? "unknown" : quota.planCode(),
              quota == null ? Long.valueOf(0) : quota.maxMonthlyEvents(),
              outcome.used()));
    }
    String appList = apps.stream().map(String::valueOf).collect(Collectors.joining(","));
    return new GroupResult(batchId, toStore.size(), appList, outcomes);
  }

  private static Map<Long, Set<String>> storedClientIds(
      GroupCommitStatements dao, List<PendingWrite> group) throws SQLException {
    Map<Long, Set<String>> idsByApp = new LinkedHashMap<>();
    for (PendingWrite write : group) {
      for (IngestEvent event : write.events) {
        if (event.clientEventId() != null) {
          idsByApp
              .computeIfAbsent(write.app.value(), a -> new HashSet<>())
              .add(event.clientEventId());
        }
      }
    }
    Map<Long, Set<String>> stored = new HashMap<>();
    for (Map.Entry<Long, Set<String>> app : idsByApp.entrySet()) {
      List<String> ids = new ArrayList<>(app.getValue());
      Set<String> found = new HashSet<>();
      for (int from = 0; from < ids.size(); from += ID_CHECK_CHUNK) {
        found.addAll(
            dao.storedClientIds(
                app.getKey(), ids.subList(from, Math.min(ids.size(), from + ID_CHECK_CHUNK))));
      }
      stored.put(app.getKey(), found);
    }
    return stored;
  }

  /** A JDBC failure of the group's transaction (classified by its cause). */
  private static final class WriteFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WriteFailedException(SQLException cause) {
      super(cause);
    }
  }

  private record GroupResult(
      long batchId, int stored, String apps, Map<PendingWrite, WriteOutcome> outcomes) {}

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /**
   * Connection lost, refused, timed out, pool exhausted, or a lock held too long: the database
   * cannot take the group now.
   */
  static boolean isDatabaseUnavailable(Throwable e) {
    return DatabaseFailures.classify(e).temporary();
  }

  /** Deadlock or a duplicate key from a racing writer: the whole group can simply run again. */
  private static boolean isRetryable(Throwable e) {
    DatabaseFailures.Kind kind = DatabaseFailures.classify(e);
    return kind == DatabaseFailures.Kind.DEADLOCK || kind == DatabaseFailures.Kind.DUPLICATE_KEY;
  }
}
