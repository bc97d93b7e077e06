package io.tracetics.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations shipped in the migrations module ({@code classpath:db/migration}).
 * Flyway owns every table, Quartz's included, and never baselines (a baseline over the Quartz
 * tables would silently skip V1).
 */
public final class Migrator {
  private Migrator() {}

  public static MigrateResult migrate(String url, String user, String password) {
    return Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }
}
