package io.tracetics.benchmarks;

/** A measured load: events/s accepted and latency percentiles in ms. */
record LoadResult(
    double eventsPerSecond, double requestsPerSecond, double p50Ms, double p99Ms, int failed) {

  /** Rates and p50/p99 of one run, from its successful requests' latencies (sorted, in ns). */
  static LoadResult of(
      long[] sorted, int eventsPerRequest, double seconds, int failed, String firstFailure) {
    if (sorted.length == 0) {
      throw new IllegalStateException("no request succeeded, e.g. " + firstFailure);
    }
    if (failed > 0) {
      System.err.printf(
          "  %d failed request(s) (not counted as accepted), e.g. %s%n", failed, firstFailure);
    }
    return new LoadResult(
        sorted.length * (double) eventsPerRequest / seconds,
        sorted.length / seconds,
        sorted[(int) (sorted.length * 0.50)] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6,
        failed);
  }
}
