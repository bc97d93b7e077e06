package io.tracetics.engine.trace;

import java.util.List;
import java.util.Optional;

/**
 * Why one person is where a funnel shows them.
 *
 * @param reachedStep the furthest step reached (0-based), -1 when the person is not counted at any
 *     step (never entered, every attempt was discarded by an exclusion, or outside the population)
 * @param chosen the attempt the engine counts for the person; empty when {@code reachedStep} is -1
 * @param nextStep the first step not reached, with the nearest candidates; empty when every step
 *     was reached. Outside the population: the first step, with no candidates (no event of the
 *     person can take it)
 * @param population whether the funnel's cohorts let the person in, and why not
 */
public record FunnelTrace(
    int reachedStep,
    Optional<TraceAttempt> chosen,
    Optional<NextStep> nextStep,
    TracePopulation population) {

  public FunnelTrace {
    java.util.Objects.requireNonNull(population, "population");
  }

  /** The trace of a person outside the funnel's population: no step, no chain, no candidates. */
  static FunnelTrace outside(String firstStep, TracePopulation population) {
    if (population.inPopulation()) {
      throw new IllegalArgumentException("the person is in the population");
    }
    return new FunnelTrace(
        -1, Optional.empty(), Optional.of(new NextStep(0, firstStep, List.of())), population);
  }

  /**
   * The first step not reached (ordered and strict: the one after the chain; unordered: the
   * smallest step index the chain does not fill) and its nearest candidates.
   */
  public record NextStep(int step, String eventName, List<Candidate> candidates) {
    public NextStep {
      candidates = List.copyOf(candidates);
    }
  }

  /** An event of the next step's name and why it did not take the step. */
  public record Candidate(TraceEvent event, TraceReason reason) {}
}
