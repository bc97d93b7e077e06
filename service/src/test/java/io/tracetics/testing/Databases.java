package io.tracetics.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the MariaDB database a JDBC URL names, on its server (root, empty password). */
public final class Databases {
  private Databases() {}

  /** Creates the database of {@code jdbcUrl} if missing; with {@code fresh}, drops it first. */
  public static void create(String jdbcUrl, boolean fresh) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    String database = uri.getPath().substring(1).replace("`", "");
    String server = jdbcUrl.replace(uri.getPath(), "/");
    try (Connection connection = DriverManager.getConnection(server, "root", "");
        Statement statement = connection.createStatement()) {
      if (fresh) {
        statement.execute("DROP DATABASE IF EXISTS `" + database + "`");
      }
      statement.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create database " + database, e);
    }
  }
}
