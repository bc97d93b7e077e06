package io.tracetics.testing;

import io.tracetics.db.JdbiSetup;
import io.tracetics.db.Migrator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** A Jdbi on the test database, migrated, configured like the application's. */
public final class TestJdbi {
  private TestJdbi() {}

  public static Jdbi create() {
    String url = TestServers.get().jdbcUrl();
    Migrator.migrate(url, "root", "");
    Jdbi jdbi = JdbiSetup.configure(Jdbi.create(url, "root", ""));
    jdbi.installPlugin(new SqlObjectPlugin());
    return jdbi;
  }

  /**
   * A new tenant (named {@code tenantName}) with one app, written straight into the database for
   * tests that work below the API; the app's id.
   */
  public static long newApp(Jdbi jdbi, String tenantName) {
    return jdbi.inTransaction(
        h -> {
          long tenant =
              h.createUpdate("INSERT INTO tenants (name) VALUES (:name)")
                  .bind("name", tenantName)
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          return h.createUpdate("INSERT INTO tracked_apps (tenant_id, name) VALUES (:t, 'web')")
              .bind("t", tenant)
              .executeAndReturnGeneratedKeys("id")
              .mapTo(Long.class)
              .one();
        });
  }
}
