package io.tracetics.loader;

import java.util.Set;

/** Told after each DuckDB commit which apps received events (for example, to refresh funnels). */
public interface LoadListener {
  void loaded(Set<Long> appIds, long position);
}
