package io.tracetics.loader;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What operators watch about the loader (all under {@code io.tracetics.loader.*}). */
public final class LoaderMetrics {
  public static final String PREFIX = "io.tracetics.loader.";

  /** Acknowledged -> visible in DuckDB, in milliseconds, over the last minute. */
  final Histogram lagMillis;

  final Histogram epochEvents;
  final Timer epochDuration;
  final Meter eventsLoaded;
  final Counter epochsLoaded;
  final Counter failedLoads;
  final Counter retries;
  final Counter quarantinedRows;
  final Counter redisFailures;
  final AtomicLong lastSuccessMillis = new AtomicLong();
  final AtomicLong position = new AtomicLong();
  final AtomicLong latestEpoch = new AtomicLong();

  public LoaderMetrics(MetricRegistry registry) {
    lagMillis =
        registry.histogram(
            PREFIX + "lag-ms",
            () -> new Histogram(new SlidingTimeWindowArrayReservoir(1, TimeUnit.MINUTES)));
    epochEvents =
        registry.histogram(
            PREFIX + "epoch-events",
            () -> new Histogram(new SlidingTimeWindowArrayReservoir(5, TimeUnit.MINUTES)));
    epochDuration = registry.timer(PREFIX + "epoch-duration");
    eventsLoaded = registry.meter(PREFIX + "events-loaded");
    epochsLoaded = registry.counter(PREFIX + "epochs-loaded");
    failedLoads = registry.counter(PREFIX + "failed-loads");
    retries = registry.counter(PREFIX + "retries");
    quarantinedRows = registry.counter(PREFIX + "quarantined-rows");
    redisFailures = registry.counter(PREFIX + "redis-failures");
    registry.gauge(PREFIX + "position", () -> position::get);
    registry.gauge(PREFIX + "epochs-behind", () -> () -> latestEpoch.get() - position.get());
    registry.gauge(PREFIX + "last-success-ms", () -> lastSuccessMillis::get);
  }

  public Histogram lagMillis() {
    return lagMillis;
  }

  public Histogram epochEvents() {
    return epochEvents;
  }

  public Timer epochDuration() {
    return epochDuration;
  }

  public Meter eventsLoaded() {
    return eventsLoaded;
  }

  public long failedLoads() {
    return failedLoads.getCount();
  }

  public long retries() {
    return retries.getCount();
  }

  public long quarantinedRows() {
    return quarantinedRows.getCount();
  }

  public long redisFailures() {
    return redisFailures.getCount();
  }

  public long lastSuccessMillis() {
    return lastSuccessMillis.get();
  }

  public long position() {
    return position.get();
  }

  public long latestEpoch() {
    return latestEpoch.get();
  }
}
