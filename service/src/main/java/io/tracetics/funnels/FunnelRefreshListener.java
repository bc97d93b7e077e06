package io.tracetics.funnels;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.Supplier;

/** Told after the pipeline refreshed a saved funnel's default report on this node. */
public interface FunnelRefreshListener {
  /**
   * @param report the fresh report (the caller's copy: do not change it)
   * @param previousPeriod the report of the previous period of the same length, computed (and
   *     cached) only when asked; empty when the funnel does not save both {@code from} and {@code
   *     to}
   */
  void refreshed(
      FunnelService.Loaded funnel,
      ObjectNode report,
      Supplier<Optional<ObjectNode>> previousPeriod);
}
