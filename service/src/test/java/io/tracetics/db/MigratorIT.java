package io.tracetics.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.testing.Databases;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Migrations on a database of their own: comment-only edits are realigned, nothing else is. */
class MigratorIT {
  private final String url = TestServers.get().jdbcUrlOf("test_migrator");

  @BeforeEach
  void freshDatabase() {
    Databases.create(url, true);
    Migrator.migrate(url, "root", "");
  }

  @Test
  void theRecordedChecksumsAreTheFilesChecksums() throws SQLException {
    for (Migrator.CommentOnlyEdit edit : Migrator.COMMENT_ONLY_EDITS) {
      assertEquals(edit.after(), checksum(edit.version()), "migration " + edit.version());
    }
  }

  @Test
  void aDatabaseMigratedBeforeACommentOnlyEditMigratesAgain() throws SQLException {
    for (Migrator.CommentOnlyEdit edit : Migrator.COMMENT_ONLY_EDITS) {
      setChecksum(edit.version(), edit.before());
    }
    assertEquals(0, Migrator.migrate(url, "root", "").migrationsExecuted);
    for (Migrator.CommentOnlyEdit edit : Migrator.COMMENT_ONLY_EDITS) {
      assertEquals(edit.after(), checksum(edit.version()));
    }
  }

  @Test
  void anyOtherChecksumDifferenceStillStopsTheMigration() throws SQLException {
    setChecksum("5", 12345);
    assertThrows(FlywayException.class, () -> Migrator.migrate(url, "root", ""));
    assertEquals(12345, checksum("5"));
  }

  private int checksum(String version) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "root", "");
        PreparedStatement ps =
            c.prepareStatement("SELECT checksum FROM flyway_schema_history WHERE version = ?")) {
      ps.setString(1, version);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private void setChecksum(String version, int checksum) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "root", "");
        PreparedStatement ps =
            c.prepareStatement("UPDATE flyway_schema_history SET checksum = ? WHERE version = ?")) {
      ps.setInt(1, checksum);
      ps.setString(2, version);
      assertEquals(1, ps.executeUpdate());
    }
  }
}
