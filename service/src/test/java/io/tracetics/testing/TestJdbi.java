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
}
