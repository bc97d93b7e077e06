package io.tracetics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.StoreConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Compares a node's DuckDB file (opened after the node stopped) with MariaDB. */
public final class CopyCheck {
  private CopyCheck() {}

  /** Asserts the file holds exactly MariaDB's events of {@code appId}, each once. */
  public static void assertExactCopy(Path duckDbFile, long appId, String label) throws Exception {
    List<Long> expected = mariaDbIds(appId);
    try (AnalyticsStore store =
            AnalyticsStore.open(
                StoreConfig.file(duckDbFile).withMemoryLimit("256MB").withThreads(1));
        Connection c = store.openReader()) {
      List<Long> actual = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement("SELECT event_id FROM events WHERE app_id = ? ORDER BY event_id")) {
        ps.setLong(1, appId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            actual.add(rs.getLong(1));
          }
        }
      }
      assertEquals(expected.size(), actual.size(), label + ": event count of app " + appId);
      assertEquals(expected, actual, label + ": event ids of app " + appId);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM events")) {
        rs.next();
        assertEquals(rs.getLong(1), rs.getLong(2), label + ": no event id twice in the file");
      }
    }
  }

  public static List<Long> mariaDbIds(long appId) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (Connection c = TestServers.get().connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT id FROM events WHERE app_id = ? ORDER BY id")) {
      ps.setLong(1, appId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  /** The highest commit epoch and the number of committed batches still without one. */
  public static long[] mariaDbEpochs() throws Exception {
    try (Connection c = TestServers.get().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COALESCE(MAX(seq), 0), COALESCE(SUM(seq IS NULL), 0) FROM ingest_batches")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  /**
   * Waits until the node has loaded every committed batch: nothing unsequenced in MariaDB and the
   * node's loader position at MariaDB's highest epoch, with {@code epochs_behind == 0}.
   */
  public static JsonNode awaitCaughtUp(ServiceProcess node, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status = null;
    long[] epochs = null;
    while (System.nanoTime() < deadline) {
      epochs = mariaDbEpochs();
      status = node.pipelineStatus();
      JsonNode loader = status.get("loader");
      if (epochs[1] == 0
          && loader.get("position").asLong() == epochs[0]
          && loader.get("epochs_behind").asLong() == 0) {
        return status;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        node.options().nodeName()
            + " did not catch up: MariaDB latest epoch "
            + (epochs == null ? "?" : epochs[0])
            + ", unsequenced "
            + (epochs == null ? "?" : epochs[1])
            + "; status "
            + status);
  }
}
