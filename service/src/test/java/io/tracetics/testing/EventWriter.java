package io.tracetics.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes events straight into MariaDB the way ingest does (one ingest_batches row and its events in
 * one transaction), with optional pauses inside the transaction so tests can make commits overlap
 * and become visible out of id order.
 */
public final class EventWriter {
  private EventWriter() {}

  /** One event to write. */
  public record Event(String user, String name, long eventTimeMs, String metadata) {}

  /** Writes one batch; returns the ids of the stored events, or an empty list when rolled back. */
  public static List<Long> writeBatch(
      long appId, List<Event> events, long pauseMillis, boolean rollback) throws SQLException {
    try (Connection connection = TestServers.get().connect()) {
      connection.setAutoCommit(false);
      long now = System.currentTimeMillis();
      long batchId;
      try (PreparedStatement batch =
          connection.prepareStatement(
              "INSERT INTO ingest_batches (event_count, created_at_ms) VALUES (?, ?)",
              Statement.RETURN_GENERATED_KEYS)) {
        batch.setInt(1, events.size());
        batch.setLong(2, now);
        batch.executeUpdate();
        try (ResultSet keys = batch.getGeneratedKeys()) {
          keys.next();
          batchId = keys.getLong(1);
        }
      }
      pause(pauseMillis);
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO events (app_id, batch_id, user_identifier, event_name, event_time_ms,"
                  + " received_at_ms, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)",
              Statement.RETURN_GENERATED_KEYS)) {
        for (Event event : events) {
          insert.setLong(1, appId);
          insert.setLong(2, batchId);
          insert.setString(3, event.user());
          insert.setString(4, event.name());
          insert.setLong(5, event.eventTimeMs());
          insert.setLong(6, now);
          insert.setString(7, event.metadata());
          insert.executeUpdate();
          try (ResultSet keys = insert.getGeneratedKeys()) {
            keys.next();
            ids.add(keys.getLong(1));
          }
        }
      }
      pause(pauseMillis);
      if (rollback) {
        connection.rollback();
        return List.of();
      }
      connection.commit();
      return ids;
    }
  }

  /**
   * Writes overlapping transactions (pauses inside, about one in eight rolled back) for writer
   * number {@code writer} until {@code writing} turns false; adds committed ids to {@code
   * committed}.
   */
  public static Void writeUntilStopped(
      long appId,
      int writer,
      java.util.concurrent.atomic.AtomicBoolean writing,
      java.util.Collection<Long> committed)
      throws SQLException {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    while (writing.get()) {
      List<Event> events = new ArrayList<>();
      int size = 1 + random.nextInt(20);
      for (int i = 0; i < size; i++) {
        events.add(
            new Event(
                "u" + writer + "-" + random.nextInt(50),
                "step" + random.nextInt(3),
                System.currentTimeMillis(),
                "{\"writer\": " + writer + "}"));
      }
      committed.addAll(writeBatch(appId, events, random.nextInt(30), random.nextInt(8) == 0));
    }
    return null;
  }

  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
