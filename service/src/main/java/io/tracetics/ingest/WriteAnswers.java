package io.tracetics.ingest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests' answers: each completes on a reply thread once its group is committed (never on the
 * writer's, which goes on to the next group; and no request thread waits meanwhile), or fails when
 * the request's time runs out.
 */
final class WriteAnswers {
  private final IngestConfig config;
  private final ExecutorService replies;
  private final ScheduledThreadPoolExecutor timeouts;

  WriteAnswers(IngestConfig config) {
    this.config = config;
    this.replies =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            daemonThreads("ingest-reply-"));
    this.timeouts = new ScheduledThreadPoolExecutor(1, daemonThreads("ingest-timeout-"));
    timeouts.setRemoveOnCancelPolicy(true);
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
   * The request's answer. After {@code requestTimeout} a request no writer has taken yet is
   * withdrawn and fails ({@link IngestFailure.Reason#NOT_TAKEN_IN_TIME}, nothing stored); one being
   * committed right now gets up to {@code 3 x databaseTimeout} more, since each of its database
   * calls is bounded by that, and then fails as {@link IngestFailure.Reason#UNCONFIRMED} (it may or
   * may not be stored).
   */
  CompletableFuture<GroupCommitWriter.WriteOutcome> answer(GroupCommitWriter.PendingWrite pending) {
    CompletableFuture<GroupCommitWriter.WriteOutcome> answer = new CompletableFuture<>();
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

  private void timedOut(
      GroupCommitWriter.PendingWrite pending,
      CompletableFuture<GroupCommitWriter.WriteOutcome> answer) {
    if (pending.withdraw()) {
      answer.completeExceptionally(new IngestFailure(IngestFailure.Reason.NOT_TAKEN_IN_TIME));
      return;
    }
    timeouts.schedule(
        () -> answer.completeExceptionally(new IngestFailure(IngestFailure.Reason.UNCONFIRMED)),
        3 * config.databaseTimeout.toMilliseconds(),
        TimeUnit.MILLISECONDS);
  }

  /** Sends the answers already handed over, then stops. */
  void stop() throws InterruptedException {
    replies.shutdown();
    replies.awaitTermination(5, TimeUnit.SECONDS);
    timeouts.shutdownNow();
  }
}
