package io.tracetics.analytics;

import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.StoreConfig;
import java.nio.file.Path;

/**
 * Child-process helper for tests: opens a DuckDB file, prints HOLDING, and holds it until killed.
 */
public final class HoldDuckDbFile {
  private HoldDuckDbFile() {}

  public static void main(String[] args) throws Exception {
    try (AnalyticsStore store =
        AnalyticsStore.open(StoreConfig.file(Path.of(args[0])).withMemoryLimit("128MB"))) {
      System.out.println("HOLDING");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
