package io.tracetics.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The group-commit writers' queues: one per writer thread, each tenant's requests in the queue of
 * tenant id modulo the writer count, bounded in events over all queues ({@code maxQueuedEvents}). A
 * writer takes everything pending in its queue, up to {@code maxEventsPerTransaction}, as one
 * group; a request that does not fit is carried over to the next group.
 *
 * <p>Waking a writer costs a futex round trip on both sides, so a new request wakes its writer only
 * when the writer waits for a first request or a full transaction is queued. A writer whose last
 * group had {@code commitSiblings} requests or more waits {@code commitDelay} for more to join the
 * next one (a lightly loaded writer commits at once).
 */
final class WriteQueue {
  private final IngestConfig config;
  private final long commitDelayNanos;
  private final AtomicInteger queuedEvents = new AtomicInteger();
  private final AtomicInteger queuedRequests = new AtomicInteger();
  private final List<Shard> shards = new ArrayList<>();
  private volatile boolean open = true;

  WriteQueue(IngestConfig config) {
    this.config = config;
    this.commitDelayNanos = TimeUnit.MILLISECONDS.toNanos(config.commitDelay.toMilliseconds());
    for (int i = 0; i < config.writerThreads; i++) {
      shards.add(new Shard());
    }
  }

  /** How many queues (one per writer thread). */
  int shards() {
    return shards.size();
  }

  /** Events waiting in all queues. */
  int queuedEvents() {
    return queuedEvents.get();
  }

  /** Requests waiting in all queues. */
  int queuedRequests() {
    return queuedRequests.get();
  }

  /** False once {@link #close} was called: nothing new is taken. */
  boolean isOpen() {
    return open;
  }

  /**
   * Queues a request for its tenant's writer; fails ({@link IngestFailure.Reason#OVERLOADED}) when
   * the queues hold {@code maxQueuedEvents} already (a request alone may exceed it).
   */
  void add(GroupCommitWriter.PendingWrite pending) {
    int size = pending.events.size();
    int after = queuedEvents.addAndGet(size);
    if (after > config.maxQueuedEvents && after - size > 0) {
      queuedEvents.addAndGet(-size);
      throw new IngestFailure(IngestFailure.Reason.OVERLOADED);
    }
    queuedRequests.incrementAndGet();
    Shard shard = shards.get((int) Math.floorMod(pending.tenant.value(), (long) shards.size()));
    int shardEvents = shard.queueEvents.addAndGet(size);
    shard.queue.add(pending);
    // The writer sets idle before it looks at the queue, and this reads idle after adding to it:
    // one of the two sees the other, so a waiting writer is never left asleep (and its wait is
    // bounded anyway).
    if (shard.idle || shardEvents >= config.maxEventsPerTransaction) {
      shard.signal();
    }
  }

  /** The next group of queue {@code shard}: everything pending, up to a transaction's size. */
  List<GroupCommitWriter.PendingWrite> takeGroup(int shard) throws InterruptedException {
    return shards.get(shard).takeGroup();
  }

  /** Whether queue {@code shard} still holds requests. */
  boolean hasPending(int shard) {
    return shards.get(shard).hasPending();
  }

  /** Stops taking: writers waiting for requests wake up and see it. */
  void close() {
    open = false;
    shards.forEach(Shard::signal);
  }

  /** Fails every request still queued (the writers have stopped). */
  void failPending(Supplier<? extends Throwable> failure) {
    shards.forEach(shard -> shard.failPending(failure));
  }

  /** One writer's queue: the requests of the tenants that hash to it. */
  private final class Shard {
    final ConcurrentLinkedQueue<GroupCommitWriter.PendingWrite> queue =
        new ConcurrentLinkedQueue<>();

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
    GroupCommitWriter.PendingWrite carried;

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

    GroupCommitWriter.PendingWrite poll() {
      GroupCommitWriter.PendingWrite next = queue.poll();
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
    void failPending(Supplier<? extends Throwable> failure) {
      GroupCommitWriter.PendingWrite left;
      while ((left = poll()) != null) {
        left.done.completeExceptionally(failure.get());
      }
      takeLock.lock();
      try {
        if (carried != null) {
          carried.done.completeExceptionally(failure.get());
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
    List<GroupCommitWriter.PendingWrite> takeGroup() throws InterruptedException {
      List<GroupCommitWriter.PendingWrite> group = new ArrayList<>();
      takeLock.lock();
      try {
        if (carried == null && queue.isEmpty() && open) {
          idle = true; // from here on a new request wakes this writer (see add)
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
          while (left > 0 && open && !fullTransactionWaiting()) {
            left = notEmpty.awaitNanos(left); // more requests join meanwhile
          }
        }
        int events = 0;
        while (true) {
          GroupCommitWriter.PendingWrite next;
          if (carried != null) {
            next = carried; // already TAKEN when it was carried over
            carried = null;
          } else {
            next = poll();
            if (next == null) {
              break;
            }
            if (!next.take()) {
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
}
