package io.tracetics.analytics;

import io.dropwizard.db.DataSourceFactory;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.db.DatabaseCommand;
import io.tracetics.db.JdbiSetup;
import java.io.PrintStream;
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
    ProgressBar bar = new ProgressBar(System.err);
    long events =
        new AnalyticsRebuilder(jdbi, configuration.getPipeline()).rebuild(target, bar::update);
    bar.finish();
    System.out.printf("Rebuilt %s with %,d events%n", target.file().orElseThrow(), events);
  }

  /** A one-line progress bar with rate and ETA. */
  static final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private long lastPrinted;

    ProgressBar(PrintStream out) {
      this.out = out;
    }

    void update(long done, long total) {
      long now = System.nanoTime();
      if (now - lastPrinted < 100_000_000L && done < total) {
        return;
      }
      lastPrinted = now;
      out.print("\r" + line(done, total, (now - started) / 1e9));
      out.flush();
    }

    void finish() {
      out.println();
    }

    static String line(long done, long total, double seconds) {
      double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
      int filled = (int) Math.round(fraction * WIDTH);
      double rate = seconds > 0 ? done / seconds : 0;
      String eta = rate > 0 && done < total ? String.format("%.0fs", (total - done) / rate) : "0s";
      return String.format(
          "[%s%s] %3.0f%% %,d/%,d events %,.0f/s ETA %s",
          "#".repeat(filled), " ".repeat(WIDTH - filled), fraction * 100, done, total, rate, eta);
    }
  }
}
