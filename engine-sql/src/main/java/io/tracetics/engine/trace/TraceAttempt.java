package io.tracetics.engine.trace;

import java.util.List;

/**
 * One attempt of the person: where it started, the chain it took (one link per step reached, in
 * time order) and the exclusion that discarded it, if one did.
 *
 * @param startMillis the attempt's first instant (its entry)
 * @param chain the events that filled its steps
 * @param excludedBy the exclusion index that discarded it, or -1
 * @param excluding the event that discarded it, null when not discarded
 */
public record TraceAttempt(
    long startMillis, List<ChainLink> chain, int excludedBy, TraceEvent excluding) {

  public TraceAttempt {
    chain = List.copyOf(chain);
  }

  /** How many steps it reached. */
  public int level() {
    return chain.size();
  }

  public boolean discarded() {
    return excludedBy >= 0;
  }

  /** One step of a chain and the event that filled it. */
  public record ChainLink(int step, TraceEvent event) {}
}
