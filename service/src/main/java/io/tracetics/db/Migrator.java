package io.tracetics.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations shipped in the migrations module ({@code classpath:db/migration}).
 * Flyway owns every table, Quartz's included, and never baselines (a baseline over the Quartz
 * tables would silently skip V1).
 */
public final class Migrator {
  /**
   * A released migration whose text later changed in its comments only: a database migrated before
   * records the checksum {@code before}, which Flyway's validation would refuse.
   */
  record CommentOnlyEdit(String version, int before, int after) {}

  /** Every comment-only edit; any other checksum difference still stops the migration. */
  static final List<CommentOnlyEdit> COMMENT_ONLY_EDITS =
      List.of(new CommentOnlyEdit("5", -2114623301, -992376179));

  private Migrator() {}

  public static MigrateResult migrate(String url, String user, String password) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(url, user, password)
            .locations("classpath:db/migration")
            .failOnMissingLocations(true)
            .load();
    realignCommentOnlyEdits(url, user, password);
    return flyway.migrate();
  }

  /** Records the new checksum of each comment-only edit where the database has the old one. */
  private static void realignCommentOnlyEdits(String url, String user, String password) {
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      if (!hasHistory(c)) {
        return;
      }
      try (PreparedStatement update =
          c.prepareStatement(
              "UPDATE flyway_schema_history SET checksum = ? WHERE version = ? AND checksum = ?")) {
        for (CommentOnlyEdit edit : COMMENT_ONLY_EDITS) {
          update.setInt(1, edit.after());
          update.setString(2, edit.version());
          update.setInt(3, edit.before());
          update.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the migration history", e);
    }
  }

  private static boolean hasHistory(Connection c) throws SQLException {
    try (ResultSet tables =
        c.getMetaData().getTables(c.getCatalog(), null, "flyway_schema_history", null)) {
      return tables.next();
    }
  }
}
