package io.tracetics.explore;

import io.tracetics.engine.explore.ExploreResult;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open query result on its way to the client, and whether it turned out truncated (known only
 * after the last row, for the HTTP trailer of CSV and Arrow answers).
 */
public record ExploreAnswer(ExploreResult result, AtomicBoolean truncated) {
  public ExploreAnswer(ExploreResult result) {
    this(result, new AtomicBoolean());
  }
}
