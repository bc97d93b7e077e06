package io.tracetics.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The floor server's database is the real one's name with {@code _floor}, parameters kept. */
class IngestSettingsTest {
  @Test
  void floorDatabaseKeepsTheUrlParameters() {
    assertEquals(
        "jdbc:mariadb://127.0.0.1:3306/bench_ingest_floor?sslMode=disable",
        settings("jdbc:mariadb://127.0.0.1:3306/bench_ingest?sslMode=disable").floorDbUrl());
  }

  @Test
  void floorDatabaseOfAUrlWithoutParameters() {
    assertEquals(
        "jdbc:mariadb://db:3306/other_floor",
        settings("jdbc:mariadb://db:3306/other").floorDbUrl());
  }

  private static IngestSettings settings(String dbUrl) {
    return new IngestSettings(4, 3, 10, 60, 100, 5, 300, 2, dbUrl, "redis://x", 4, "");
  }
}
