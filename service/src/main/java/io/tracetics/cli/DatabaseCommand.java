package io.tracetics.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.DataSourceFactory;
import io.tracetics.app.EmbeddedServers;
import io.tracetics.app.ServersNotConfiguredException;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.db.Migrator;
import io.tracetics.errors.ApiException;
import io.tracetics.importer.ImportException;
import net.sourceforge.argparse4j.inf.Namespace;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * A command that works on the database: starts the embedded MariaDB when none is configured (never
 * Redis: these commands do not use it), applies the migrations, runs, and stops what it started.
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
    beforeStart();
    EmbeddedServers embedded = EmbeddedServers.startMissingDatabase(configuration);
    try {
      DataSourceFactory db = configuration.getDatabase();
      MigrateResult migrated = Migrator.migrate(db.getUrl(), db.getUser(), db.getPassword());
      run(configuration, db, migrated);
    } finally {
      embedded.stop();
    }
  }

  /** Runs before the database is started or migrated (for commands that quiet the log). */
  protected void beforeStart() {}

  /**
   * What an operator got wrong (no servers configured in a build without embedded ones, an unknown
   * tenant or app, a refused plan, a bad option) is one line on stderr and exit status 1; anything
   * else is a failure with its stack trace.
   */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (ServersNotConfiguredException.printBriefly(cli, e)) {
      return;
    }
    if (e instanceof ApiException
        || e instanceof IllegalArgumentException
        || e instanceof ImportException) {
      cli.getStdErr().println("error: " + e.getMessage());
      cli.getStdErr().flush();
    } else {
      super.onError(cli, namespace, e);
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
