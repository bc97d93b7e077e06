package io.tracetics.loader;

import java.util.Set;

/**
 * Told after each DuckDB commit which apps it changed: events, identifies or cohort changes (for
 * example, to refresh funnels).
 */
public interface LoadListener {
  void loaded(Set<Long> appIds, long position);
}
