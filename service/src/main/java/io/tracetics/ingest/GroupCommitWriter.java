package io.tracetics.ingest;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import io.tracetics.db.DatabaseFailures;
import io.tracetics.queue.IngestNoticePublisher;
import io.tracetics.tenancy.AppId;
import io.tracetics.tenancy.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
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
 * Each tenant's requests go to one writer's queue (tenant id modulo {@code writerThreads}). A
 * tenant's transactions serialise on its usage row anyway (step 1), so two writers taking one
 * tenant's requests would only split them into smaller groups that wait on each other's lock; one
 * writer per tenant puts all of them in the same commit, while writers of different tenants commit
 * in parallel.
 *
 * <p>A database that is down or hangs fails the group's requests (nothing acknowledged) and makes
 * new requests fail fast for {@code databaseRetryAfter}. Failures are {@link IngestFailure}s, which
 * {@link IngestService} turns into the API's answers. The queue is bounded in events; requests wait
 * at most {@code requestTimeout}, and a request that gives up before a writer took it is withdrawn,
 * so its events are never stored behind its back.
 */
public final class GroupCommitWriter implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final DateTimeFormatter PERIOD =
      DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);
  private static final int MAX_ATTEMPTS = 3;
  private static final int MAX_STALE_CONNECTIONS = 64;
  private static final int ID_CHECK_CHUNK = 1_000;
  private static final Executor SAME_THREAD = Runnable::run;

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

  private final Jdbi jdbi;
  private final IngestConfig config;
  private final IngestMetrics metrics;
  private final IngestNoticePublisher notices;
  private final Clock clock;
  private final long commitDelayNanos;
  private final AtomicInteger queuedEvents = new AtomicInteger();
  private final AtomicInteger queuedRequests = new AtomicInteger();
  private final List<Shard> shards = new ArrayList<>();
  private final List<Thread> writers = new ArrayList<>();
  private final ExecutorService replies;
  private final ScheduledThreadPoolExecutor timeouts;
  private volatile boolean running = true;
  private volatile boolean suspectConnections;
  private volatile long databaseDownUntilNanos = System.nanoTime();

  /** One writer's queue: the requests of the tenants that hash to it. */
  private final class Shard {
    final ConcurrentLinkedQueue<PendingWrite> queue = new ConcurrentLinkedQueue<>();

    /** Events in {@link #queue}. */
    final AtomicInteger queueEvents = new AtomicInteger();

    /**
     * Whether the writer waits for a first request. Only then, or once a full transaction is
     * queued, does a new request wake it: during the commit delay it sleeps through the arrivals
     * instead of waking (a futex round trip on both sides) for each of dozens of requests.
     */
    volatile boolean idle;

    final ReentrantLock takeLock = new ReentrantLock();
    final Condition notEmpty = takeLock.newCondition();

    /** Taken from the queue but left for the next group, which it would have made too large. */
    PendingWrite carried;

    /**
     * Requests in this writer's last group: only at {@code commitSiblings} or more does it wait
     * {@code commitDelay} for more to join the next one (a lightly loaded writer commits at once).
     */
    int lastGroupRequests;

    void signal() {
      takeLock.lock();
      try {
        notEmpty.signalAll();
      } finally {
        takeLock.unlock();
      }
    }

    PendingWrite poll() {
      PendingWrite next = queue.poll();
      if (next != null) {
        queueEvents.addAndGet(-next.events.size());
        queuedEvents.addAndGet(-next.events.size());
        queuedRequests.decrementAndGet();
      }
      return next;
    }

    boolean hasPending() {
      takeLock.lock();
      try {
        return carried != null || !queue.isEmpty();
      } finally {
        takeLock.unlock();
      }
    }

    /** Fails what is still waiting here (the writer has stopped). */
    void failPending() {
      PendingWrite left;
      while ((left = poll()) != null) {
        left.done.completeExceptionally(unavailable());
      }
      takeLock.lock();
      try {
        if (carried != null) {
          carried.done.completeExceptionally(unavailable());
          carried = null;
        }
      } finally {
        takeLock.unlock();
      }
    }

    /** Whether the requests waiting here already fill a transaction: no reason to wait for more. */
    private boolean fullTransactionWaiting() {
      int waiting = queueEvents.get() + (carried == null ? 0 : carried.events.size());
      return waiting >= config.maxEventsPerTransaction;
    }

    /** Everything pending, up to the transaction's size; waits briefly when nothing is. */
    List<PendingWrite> takeGroup() throws InterruptedException {
      List<PendingWrite> group = new ArrayList<>();
      takeLock.lock();
      try {
        if (carried == null && queue.isEmpty() && running) {
          idle = true; // from here on a new request wakes this writer (see submit)
          try {
            if (queue.isEmpty()) {
              notEmpty.await(100, TimeUnit.MILLISECONDS);
            }
          } finally {
            idle = false;
          }
        }
        if (commitDelayNanos > 0
            && lastGroupRequests >= config.commitSiblings
            && (carried != null || !queue.isEmpty())) {
          long left = commitDelayNanos;
          while (left > 0 && running && !fullTransactionWaiting()) {
            left = notEmpty.awaitNanos(left); // more requests join meanwhile
          }
        }
        int events = 0;
        while (true) {
          PendingWrite next;
          if (carried != null) {
            next = carried; // already TAKEN when it was carried over
            carried = null;
          } else {
            next = poll();
            if (next == null) {
              break;
            }
            if (!next.state.compareAndSet(QUEUED, TAKEN)) {
              continue; // withdrawn by a request that timed out
            }
          }
          if (!group.isEmpty() && events + next.events.size() > config.maxEventsPerTransaction) {
            carried = next;
            break;
          }
          group.add(next);
          events += next.events.size();
        }
        lastGroupRequests = group.size();
      } finally {
        takeLock.unlock();
      }
      return group;
    }
  }

  public GroupCommitWriter(
      Jdbi jdbi,
      IngestConfig config,
      IngestMetrics metrics,
      MetricRegistry registry,
      IngestNoticePublisher notices,
      Clock clock) {
    this.jdbi = jdbi;
    this.config = config;
    this.metrics = metrics;
    this.notices = notices;
    this.clock = clock;
    this.commitDelayNanos = TimeUnit.MILLISECONDS.toNanos(config.commitDelay.toMilliseconds());
    metrics.registerQueueDepth(registry, queuedEvents::get, queuedRequests::get);
    this.replies =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            daemonThreads("ingest-reply-"));
    this.timeouts = new ScheduledThreadPoolExecutor(1, daemonThreads("ingest-timeout-"));
    timeouts.setRemoveOnCancelPolicy(true);
    for (int i = 0; i < config.writerThreads; i++) {
      Shard shard = new Shard();
      shards.add(shard);
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
    running = false;
    shards.forEach(Shard::signal);
    for (Thread writer : writers) {
      writer.join(TimeUnit.SECONDS.toMillis(15));
    }
    shards.forEach(Shard::failPending);
    replies.shutdown(); // the answers already handed to it still go out
    replies.awaitTermination(5, TimeUnit.SECONDS);
    timeouts.shutdownNow();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * The request's answer: the outcome once its group is committed, completed on a reply thread
   * (never the writer's, which goes on to the next group; and no request thread waits meanwhile).
   * After {@code requestTimeout} a request no writer has taken yet is withdrawn and fails ({@link
   * IngestFailure.Reason#NOT_TAKEN_IN_TIME}, nothing stored); one being committed right now gets up
   * to {@code 3 x databaseTimeout} more, since each of its database calls is bounded by that, and
   * then fails as {@link IngestFailure.Reason#UNCONFIRMED} (it may or may not be stored).
   */
  public CompletableFuture<WriteOutcome> answer(PendingWrite pending) {
    CompletableFuture<WriteOutcome> answer = new CompletableFuture<>();
    ScheduledFuture<?> timeout =
        timeouts.schedule(
            () -> timedOut(pending, answer),
            config.requestTimeout.toMilliseconds(),
            TimeUnit.MILLISECONDS);
    pending.done.whenCompleteAsync(
        (outcome, error) -> {
          timeout.cancel(false);
          if (error == null) {
            answer.complete(outcome);
          } else {
            answer.completeExceptionally(error);
          }
        },
        replies);
    return answer;
  }

  private void timedOut(PendingWrite pending, CompletableFuture<WriteOutcome> answer) {
    if (pending.withdraw()) {
      answer.completeExceptionally(new IngestFailure(IngestFailure.Reason.NOT_TAKEN_IN_TIME));
      return;
    }
    timeouts.schedule(
        () -> answer.completeExceptionally(new IngestFailure(IngestFailure.Reason.UNCONFIRMED)),
        3 * config.databaseTimeout.toMilliseconds(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Queues a request's events for the next group commit. Fails at once ({@link IngestFailure}) when
   * the database failed moments ago or the queue is full.
   */
  public PendingWrite submit(TenantId tenant, AppId app, List<IngestEvent> events) {
    if (!running || System.nanoTime() - databaseDownUntilNanos < 0) {
      throw unavailable();
    }
    int after = queuedEvents.addAndGet(events.size());
    if (after > config.maxQueuedEvents && after - events.size() > 0) {
      queuedEvents.addAndGet(-events.size());
      throw new IngestFailure(IngestFailure.Reason.OVERLOADED);
    }
    PendingWrite pending = new PendingWrite(tenant, app, events);
    queuedRequests.incrementAndGet();
    Shard shard = shards.get((int) Math.floorMod(tenant.value(), (long) shards.size()));
    int shardEvents = shard.queueEvents.addAndGet(events.size());
    shard.queue.add(pending);
    // The writer sets idle before it looks at the queue, and this reads idle after adding to it:
    // one of the two sees the other, so a waiting writer is never left asleep (and its wait is
    // bounded anyway).
    if (shard.idle || shardEvents >= config.maxEventsPerTransaction) {
      shard.signal();
    }
    return pending;
  }

  private static IngestFailure unavailable() {
    return new IngestFailure(IngestFailure.Reason.DATABASE_UNAVAILABLE);
  }

  private void run(Shard shard) {
    try {
      while (running || shard.hasPending()) {
        try {
          List<PendingWrite> group = shard.takeGroup();
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
      releaseWriterConnection();
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
        suspectConnections = false;
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
          suspectConnections = true;
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

  /**
   * Each writer thread keeps one pooled connection for its groups, set up once for them (no
   * auto-commit, READ COMMITTED), so a group costs only its own statements and the commit. It is
   * given back when a group fails (dropped from the pool if the failure broke it), and checked with
   * a ping before use after a database failure or a quiet spell (the server may have closed it
   * meanwhile).
   */
  private final ThreadLocal<WriterConnection> writerConnection = new ThreadLocal<>();

  private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final class WriterConnection {
    final Handle handle;
    final Connection connection;
    final GroupCommitStatements statements;
    final int poolIsolation;
    long lastUsedNanos = System.nanoTime();

    WriterConnection(Handle handle) throws SQLException {
      this.handle = handle;
      this.connection = handle.getConnection();
      this.poolIsolation = connection.getTransactionIsolation();
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      this.statements = new GroupCommitStatements(driverConnection(connection));
    }

    /**
     * The driver's connection under the pool's proxy (same session and transaction), so that the
     * statements bound for every event skip the proxy's reflective calls; the proxy where the pool
     * does not expose it.
     */
    private static Connection driverConnection(Connection pooled) {
      try {
        return pooled.unwrap(org.mariadb.jdbc.Connection.class);
      } catch (SQLException | RuntimeException e) {
        return pooled;
      }
    }

    /** Rolls back whatever is open, restores the pool's settings and returns the connection. */
    void release() {
      statements.close();
      try {
        connection.rollback();
        connection.setTransactionIsolation(poolIsolation);
        connection.setAutoCommit(true);
      } catch (SQLException | RuntimeException e) {
        discard(connection); // broken: the pool closes it instead of lending it again
      }
      try {
        handle.close();
      } catch (RuntimeException e) {
        LOG.debug("Closing a failed writer connection: {}", e.toString());
      }
    }
  }

  private WriterConnection writerConnection() throws SQLException {
    WriterConnection held = writerConnection.get();
    if (held != null
        && (suspectConnections || System.nanoTime() - held.lastUsedNanos > IDLE_CHECK_NANOS)
        && !held.connection.isValid(1)) {
      discard(held.connection);
      held.release();
      writerConnection.remove();
      held = null;
    }
    if (held == null) {
      held = new WriterConnection(openHealthy());
      writerConnection.set(held);
    }
    return held;
  }

  /** Gives back this writer thread's connection (after a failure, and when the writer stops). */
  private void releaseWriterConnection() {
    WriterConnection held = writerConnection.get();
    if (held != null) {
      writerConnection.remove();
      held.release();
    }
  }

  /**
   * After a database failure the pool may still hold connections that broke with it; until a commit
   * succeeds again each borrowed connection is checked (a ping) and dropped if dead.
   */
  private Handle openHealthy() {
    if (!suspectConnections) {
      return jdbi.open();
    }
    for (int attempt = 0; ; attempt++) {
      Handle handle = jdbi.open();
      try {
        if (handle.getConnection().isValid(1) || attempt >= MAX_STALE_CONNECTIONS) {
          return handle;
        }
        discard(handle.getConnection());
      } catch (SQLException | RuntimeException e) {
        LOG.debug("Dropping a broken pooled connection: {}", e.toString());
      }
      handle.close();
    }
  }

  private GroupResult writeInTransaction(List<PendingWrite> group) {
    WriterConnection held = null;
    try {
      held = writerConnection();
      Connection connection = held.connection;
      setNetworkTimeout(connection, (int) config.databaseTimeout.toMilliseconds());
      try {
        GroupResult result = write(held.statements, group);
        connection.commit();
        held.lastUsedNanos = System.nanoTime();
        return result;
      } finally {
        setNetworkTimeout(connection, 0);
      }
    } catch (SQLException | RuntimeException e) {
      if (held != null) {
        discardIfBroken(held.connection, e);
      }
      releaseWriterConnection(); // rolls back; the next group starts on a fresh connection
      if (e instanceof SQLException sql) {
        throw new WriteFailedException(sql);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * A connection that failed at the network level must not go back into the pool: the next group
   * would fail on it again after the database is back.
   */
  private static void discardIfBroken(Connection connection, Exception failure) {
    if (!isDatabaseUnavailable(failure)) {
      return;
    }
    discard(connection);
  }

  /** Makes the pool close this connection when it comes back instead of lending it again. */
  private static void discard(Connection connection) {
    try {
      // The pool's proxy hands out its own PooledConnection for this interface.
      connection.unwrap(org.apache.tomcat.jdbc.pool.PooledConnection.class).setDiscarded(true);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Could not drop a broken pooled connection: {}", e.toString());
    }
  }

  private static void setNetworkTimeout(Connection connection, int millis) {
    try {
      connection.setNetworkTimeout(SAME_THREAD, millis);
    } catch (SQLException | UnsupportedOperationException e) {
      // the connection is broken (the transaction will fail) or the driver cannot: nothing to do
    }
  }

  private GroupResult write(GroupCommitStatements dao, List<PendingWrite> group)
      throws SQLException {
    long nowMs = clock.millis();
    String period = PERIOD.format(Instant.ofEpochMilli(nowMs));

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
