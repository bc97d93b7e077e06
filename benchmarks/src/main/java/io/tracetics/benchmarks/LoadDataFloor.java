package io.tracetics.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * The real-data benchmark's import floor: {@code LOAD DATA LOCAL INFILE} of the rows an import
 * stored, into the same table (same indexes), one connection, 3 runs.
 */
final class LoadDataFloor {
  private final String dbUrl;

  LoadDataFloor(String dbUrl) {
    this.dbUrl = dbUrl;
  }

  /**
   * The database's own bulk-load rate for the rows the import stored: they are written to a
   * tab-separated file and loaded into a new app with {@code LOAD DATA LOCAL INFILE}, timed from
   * the statement to its commit. Those rows have no ingest batch, so the pipeline never loads them.
   */
  Stats rates(long app, IntToLongFunction newApp) throws IOException, SQLException {
    Path tsv = Files.createTempFile("tracetics-bench-floor", ".tsv");
    String url = dbUrl + (dbUrl.contains("?") ? "&" : "?") + "allowLocalInfile=true";
    List<Double> rates = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url, "root", "")) {
      long rows = 0;
      try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT user_identifier, event_name, event_time_ms, received_at_ms,"
                      + " client_event_id, metadata FROM events WHERE app_id = ?");
          BufferedWriter out = Files.newBufferedWriter(tsv, StandardCharsets.UTF_8)) {
        select.setLong(1, app);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            for (int c = 1; c <= 6; c++) {
              out.write(c == 1 ? "" : "\t");
              String value = rs.getString(c);
              out.write(value == null ? "\\N" : tsvEscape(value));
            }
            out.write('\n');
            rows++;
          }
        }
      }
      for (int run = 0; run < 3; run++) {
        long floorApp = newApp.applyAsLong(run);
        connection.setAutoCommit(false);
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "LOAD DATA LOCAL INFILE '"
                  + tsv.toString().replace("'", "''")
                  + "' INTO TABLE events CHARACTER SET utf8mb4"
                  + " (user_identifier, event_name, event_time_ms, received_at_ms,"
                  + " client_event_id, metadata)"
                  + " SET app_id = "
                  + floorApp
                  + ", batch_id = 0");
        }
        connection.commit();
        rates.add(rows / ((System.nanoTime() - start) / 1e9));
        connection.setAutoCommit(true);
      }
    } finally {
      Files.deleteIfExists(tsv);
    }
    return Stats.of(rates);
  }

  static String tsvEscape(String value) {
    return value
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r");
  }
}
