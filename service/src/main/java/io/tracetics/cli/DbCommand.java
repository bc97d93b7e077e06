package io.tracetics.cli;

import io.dropwizard.db.DataSourceFactory;
import io.tracetics.app.TraceticsConfiguration;
import net.sourceforge.argparse4j.inf.Subparser;
import org.flywaydb.core.api.output.MigrateResult;

/** {@code db migrate config.yml}: applies the schema migrations and exits. */
public class DbCommand extends DatabaseCommand {

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
      TraceticsConfiguration configuration, DataSourceFactory database, MigrateResult migrated) {
    System.out.printf(
        "Applied %d migration(s); schema is at version %s%n",
        migrated.migrationsExecuted, migrated.targetSchemaVersion);
  }
}
