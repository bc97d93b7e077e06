package io.tracetics.health;

import com.codahale.metrics.health.HealthCheck;
import io.tracetics.engine.store.AnalyticsStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** The node's DuckDB file answers a query. */
public class DuckDbHealthCheck extends HealthCheck {
  private final AnalyticsStore store;

  public DuckDbHealthCheck(AnalyticsStore store) {
    this.store = store;
  }

  @Override
  protected Result check() throws Exception {
    try (Connection connection = store.openReader();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT count(*) FROM events")) {
      rs.next();
      return Result.healthy("%d events", rs.getLong(1));
    }
  }
}
