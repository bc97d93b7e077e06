package io.tracetics.ingest;

import io.tracetics.ids.AppId;

/**
 * The apps' token buckets that every node shares (in Redis in production). A failure to reach them
 * is a {@link RuntimeException}; callers fall back to the per-node limit.
 */
public interface SharedBuckets {
  /** The answer of one exchange with an app's shared bucket. */
  record Taken(boolean consumed, long remaining) {}

  /** Takes {@code tokens} when the bucket holds them; either way returns what it holds after. */
  Taken tryTake(AppId app, long tokens);

  /** Takes {@code tokens} whatever the bucket holds (a batch above the burst goes into debt). */
  void takeIntoDebt(AppId app, long tokens);
}
