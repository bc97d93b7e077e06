package io.tracetics.db;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.DataSourceFactory;
import io.tracetics.app.EmbeddedServers;
import io.tracetics.app.TraceticsConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.flywaydb.core.api.output.MigrateResult;

/** {@code db migrate config.yml}: applies the schema migrations and exits. */
public class DbCommand extends ConfiguredCommand<TraceticsConfiguration> {

  public DbCommand() {
    super("db", "Database tasks: 'db migrate <config.yml>' applies the schema migrations");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("migrate").help("what to do: migrate");
    super.configure(subparser);
  }

  @Override
  protected void run(
      Bootstrap<TraceticsConfiguration> bootstrap,
      Namespace namespace,
      TraceticsConfiguration configuration)
      throws Exception {
    EmbeddedServers embedded = EmbeddedServers.startMissing(configuration);
    try {
      DataSourceFactory db = configuration.getDatabase();
      MigrateResult result = Migrator.migrate(db.getUrl(), db.getUser(), db.getPassword());
      System.out.printf(
          "Applied %d migration(s); schema is at version %s%n",
          result.migrationsExecuted, result.targetSchemaVersion);
    } finally {
      embedded.stop();
    }
  }
}
