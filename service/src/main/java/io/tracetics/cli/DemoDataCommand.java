package io.tracetics.cli;

import io.dropwizard.db.DataSourceFactory;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.db.JdbiSetup;
import io.tracetics.demo.DemoDataGenerator;
import io.tracetics.demo.DemoDataSet;
import io.tracetics.demo.DemoEvent;
import io.tracetics.demo.DemoRows;
import io.tracetics.importer.ImportOptions;
import io.tracetics.importer.ImportSummary;
import io.tracetics.importer.Importer;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code demo-data --app <id> [--users N] [--days D] [--seed S] [--end DATE] config.yml}: writes a
 * generated product data set ({@link DemoDataGenerator}) into a tracked app through the importer,
 * so it is validated, stored, de-duplicated and loaded exactly like an import.
 */
public class DemoDataCommand extends DatabaseCommand {

  public DemoDataCommand() {
    super(
        "demo-data",
        "Write a generated data set of a made-up project tool into an app, through the same path"
            + " as import (validation, batches, de-duplication; not counted in the monthly quota)."
            + " Visitors browse anonymously (page_viewed under anon-... ids); some sign up"
            + " (signed_up, logged_in), create a project (project_created), invite (invite_sent)"
            + " and buy (purchased) under user-... ids that carry the visitor's anonymous_id."
            + " Every event has the visitor's source and device, and drop-off differs by both."
            + " Event ids are demo-<data set>-<visitor>-<n>: the same options store nothing new"
            + " the second time. See README \"Demo data\".");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--app").dest("app").type(Long.class).required(true).help("app id");
    subparser
        .addArgument("--users")
        .dest("users")
        .type(Integer.class)
        .setDefault(DemoDataSet.DEFAULT_USERS)
        .help("visitors, at most 100000");
    subparser
        .addArgument("--days")
        .dest("days")
        .type(Integer.class)
        .setDefault(DemoDataSet.DEFAULT_DAYS)
        .help("days of history before --end");
    subparser
        .addArgument("--seed")
        .dest("seed")
        .type(Long.class)
        .setDefault(DemoDataSet.DEFAULT_SEED)
        .help("random seed");
    subparser
        .addArgument("--end")
        .dest("end")
        .help(
            "where the data set ends, not in the future: an ISO date (its 00:00 UTC) or instant;"
                + " default: today 00:00 UTC");
  }

  @Override
  protected void run(
      TraceticsConfiguration configuration, DataSourceFactory db, MigrateResult migrated) {
    Namespace ns = namespace();
    String end = ns.getString("end");
    Instant now = Instant.now();
    Instant endAt = end == null ? DemoDataSet.today(now) : DemoDataSet.parseEnd(end);
    if (endAt.isAfter(now)) {
      // Ingest and import refuse events from the future: fail before writing anything.
      throw new IllegalArgumentException("--end " + end + " is in the future");
    }
    DemoDataSet set =
        new DemoDataSet(ns.getInt("users"), ns.getInt("days"), ns.getLong("seed"), endAt);
    Jdbi jdbi = JdbiSetup.configure(Jdbi.create(db.getUrl(), db.getUser(), db.getPassword()));
    jdbi.installPlugin(new SqlObjectPlugin());
    Importer importer = new Importer(jdbi, Clock.systemUTC());
    long app = ns.getLong("app");
    long generating = System.nanoTime();
    List<DemoEvent> events = new DemoDataGenerator().generate(set);
    double generated = (System.nanoTime() - generating) / 1e9;
    ProgressBar bar = new ProgressBar(System.err, "rows");
    ImportSummary summary;
    try {
      summary =
          importer.run(
              app,
              new DemoRows(events),
              ImportOptions.DEFAULT_BATCH_SIZE,
              ImportOptions.DEFAULT_WRITERS,
              bar::updateFraction);
    } finally {
      bar.finish();
    }
    System.out.printf(
        "Demo data set %s (%,d visitors, %d days to %s, seed %d) into app %d%n",
        set.key(), set.users(), set.days(), set.end(), set.seed(), app);
    System.out.printf("generated  %,d events in %.2f s%n", events.size(), generated);
    System.out.print(summary.format());
    System.out.printf("%-16s %9s %8s%n", "event", "events", "users");
    usersByName(events)
        .forEach(
            (name, counts) -> System.out.printf("%-16s %,9d %,8d%n", name, counts[0], counts[1]));
  }

  /** Events and distinct users per event name, in the journey's order. */
  static Map<String, long[]> usersByName(List<DemoEvent> events) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    DemoDataGenerator.EVENT_NAMES.forEach(name -> counts.put(name, new long[2]));
    Map<String, Set<String>> users = new LinkedHashMap<>();
    for (DemoEvent e : events) {
      counts.computeIfAbsent(e.name(), n -> new long[2])[0]++;
      if (users.computeIfAbsent(e.name(), n -> new HashSet<>()).add(e.user())) {
        counts.get(e.name())[1]++;
      }
    }
    return counts;
  }
}
