package io.tracetics.db;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.DataSourceFactory;
import io.tracetics.app.EmbeddedServers;
import io.tracetics.app.TraceticsConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * A command that works on the database: starts the embedded servers when none are configured,
 * applies the migrations, runs, and stops what it started.
 */
public abstract class DatabaseCommand extends ConfiguredCommand<TraceticsConfiguration> {
  private Namespace namespace;

  protected DatabaseCommand(String name, String description) {
    super(name, description);
  }

  @Override
  protected final void run(
      Bootstrap<TraceticsConfiguration> bootstrap,
      Namespace namespace,
      TraceticsConfiguration configuration)
      throws Exception {
    this.namespace = namespace;
    EmbeddedServers embedded = EmbeddedServers.startMissing(configuration);
    try {
      DataSourceFactory db = configuration.getDatabase();
      MigrateResult migrated = Migrator.migrate(db.getUrl(), db.getUser(), db.getPassword());
      run(configuration, db, migrated);
    } finally {
      embedded.stop();
    }
  }

  /** The parsed command line, for commands with arguments of their own. */
  protected Namespace namespace() {
    return namespace;
  }

  protected abstract void run(
      TraceticsConfiguration configuration, DataSourceFactory database, MigrateResult migrated)
      throws Exception;
}
