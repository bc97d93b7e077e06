package io.tracetics.ops;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a check on its own thread, waits at most {@code timeout} for it and reuses its result for
 * {@code cacheFor}: callers polling often (load balancers) cost one check per {@code cacheFor},
 * never more than one check runs at a time, and a hanging check costs each caller at most {@code
 * timeout}. The check throws when it fails; callers get a description without internals.
 */
public final class TimeBoundCheck implements Supplier<Optional<String>> {
  private static final Logger LOG = LoggerFactory.getLogger(TimeBoundCheck.class);

  /** A check that throws when it fails. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  private final String name;
  private final Check check;
  private final ExecutorService executor;
  private final long timeoutNanos;
  private final long cacheNanos;
  private final LongSupplier nanoTime;

  private Future<?> running;
  private Optional<String> last;
  private long lastAt;

  /**
   * @param name what is checked, in messages ("MariaDB")
   * @param executor runs the check; one thread is enough
   * @param nanoTime the clock, {@code System::nanoTime}
   */
  public TimeBoundCheck(
      String name,
      Check check,
      ExecutorService executor,
      Duration timeout,
      Duration cacheFor,
      LongSupplier nanoTime) {
    this.name = name;
    this.check = check;
    this.executor = executor;
    this.timeoutNanos = timeout.toNanos();
    this.cacheNanos = cacheFor.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Empty when the check passed, else what went wrong (for callers: no internals). */
  @Override
  public synchronized Optional<String> get() {
    long now = nanoTime.getAsLong();
    if (last != null && now - lastAt < cacheNanos) {
      return last;
    }
    if (running == null || running.isDone()) {
      running =
          executor.submit(
              () -> {
                check.run();
                return null;
              });
    }
    Optional<String> result;
    String detail = null;
    try {
      running.get(timeoutNanos, TimeUnit.NANOSECONDS);
      result = Optional.empty();
    } catch (TimeoutException e) {
      result = Optional.of(name + " did not answer within " + millis(timeoutNanos) + " ms.");
      detail = "no answer within " + millis(timeoutNanos) + " ms";
    } catch (ExecutionException e) {
      result = Optional.of(name + " is unreachable.");
      detail = String.valueOf(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = Optional.of(name + " was not checked (interrupted).");
      detail = "interrupted";
    }
    boolean wasFailing = last != null && last.isPresent();
    if (detail != null && !wasFailing) {
      LOG.warn("{} check failed: {}", name, detail);
    } else if (detail == null && wasFailing) {
      LOG.info("{} check passes again", name);
    }
    last = result;
    lastAt = nanoTime.getAsLong();
    return result;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
