package io.tracetics.cli;

import io.dropwizard.db.DataSourceFactory;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.db.JdbiSetup;
import io.tracetics.loader.AnalyticsRebuilder;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** {@code rebuild-analytics config.yml}: recreates this node's DuckDB file from MariaDB. */
public class RebuildAnalyticsCommand extends DatabaseCommand {

  public RebuildAnalyticsCommand() {
    super(
        "rebuild-analytics",
        "Recreate this node's DuckDB file from MariaDB (stop the server first)");
  }

  @Override
  protected void run(
      TraceticsConfiguration configuration, DataSourceFactory db, MigrateResult migrated) {
    Jdbi jdbi = JdbiSetup.configure(Jdbi.create(db.getUrl(), db.getUser(), db.getPassword()));
    jdbi.installPlugin(new SqlObjectPlugin());
    var target = configuration.getDuckdb().storeConfig(configuration.getDataDir());
    ProgressBar bar = new ProgressBar(System.err, "events");
    long events =
        new AnalyticsRebuilder(jdbi, configuration.getPipeline()).rebuild(target, bar::update);
    bar.finish();
    System.out.printf("Rebuilt %s with %,d events%n", target.file().orElseThrow(), events);
  }
}
