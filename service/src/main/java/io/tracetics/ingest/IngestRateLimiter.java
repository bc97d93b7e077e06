package io.tracetics.ingest;

import io.tracetics.ids.AppId;

/** The per-app ingest rate limit: on this node only, or across the cluster. */
public interface IngestRateLimiter {
  /** Admits (taking the events' tokens) or refuses a request of {@code events} for the app. */
  RateLimitDecision acquire(AppId app, int events);
}
