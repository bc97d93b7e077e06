package io.tracetics.engine.query;

/** Period of a funnel trend, by the entry (step 1) time in UTC. Weeks start on Monday. */
public enum TrendInterval {
  DAY,
  WEEK
}
