package io.tracetics.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DuckDbConfigTest {
  @Test
  void defaultLeavesOneCoreToTheRestOfTheNode() {
    DuckDbConfig config = new DuckDbConfig();
    assertEquals(DuckDbConfig.AUTO_THREADS, config.threads);
    assertEquals(1, config.threads(1));
    assertEquals(1, config.threads(2));
    assertEquals(7, config.threads(8));
    assertEquals(
        Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
        config.storeConfig(Path.of("data")).threads());
  }

  @Test
  void anExplicitCountIsKept() {
    DuckDbConfig config = new DuckDbConfig();
    config.threads = 3;
    assertEquals(3, config.threads(2));
    assertEquals(3, config.threads(16));
    assertEquals(3, config.storeConfig(Path.of("data")).threads());
  }
}
