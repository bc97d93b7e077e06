package io.tracetics.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StoreConfigTest {
  @Test
  void sizesReadAsDuckDbReadsThem() {
    assertEquals(1_000_000_000L, StoreConfig.bytes("1GB"));
    assertEquals(1_500_000_000L, StoreConfig.bytes("1.5 GB"));
    assertEquals(512L * 1024 * 1024, StoreConfig.bytes("512MiB"));
    assertEquals(0L, StoreConfig.bytes("0B"));
    assertThrows(IllegalArgumentException.class, () -> StoreConfig.bytes("1 gigabyte"));
  }

  @Test
  void aBadNativeFunnelMemoryIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StoreConfig.inMemory().withNativeFunnelMemory("lots"));
  }
}
