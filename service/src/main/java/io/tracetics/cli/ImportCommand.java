package io.tracetics.cli;

import io.dropwizard.db.DataSourceFactory;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.db.JdbiSetup;
import io.tracetics.importer.ImportOptions;
import io.tracetics.importer.ImportPreset;
import io.tracetics.importer.ImportSummary;
import io.tracetics.importer.Importer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code import --app <id> --file <path> [--preset <tool> | options] config.yml}: loads historical
 * events from a CSV or NDJSON file, or a tool's event export, into a tracked app (see {@link
 * Importer}). An operator tool: it needs database access, like {@code db migrate}, and no tenant
 * credentials.
 */
public class ImportCommand extends DatabaseCommand {

  public ImportCommand() {
    super(
        "import",
        "Import historical events from a CSV or NDJSON file, or a Segment, PostHog, Mixpanel or"
            + " Amplitude export (gzip allowed), into an app");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--app").dest("app").type(Long.class).required(true).help("app id");
    subparser.addArgument("--file").dest("input").required(true).help("CSV or NDJSON file");
    subparser
        .addArgument("--preset")
        .dest("preset")
        .choices(
            Arrays.stream(ImportPreset.values())
                .map(ImportPreset::optionName)
                .toArray(String[]::new))
        .help(
            "a tool's event export (NDJSON) mapped the tool's way, identifies included;"
                + " replaces the column options");
    subparser
        .addArgument("--format")
        .dest("format")
        .choices("csv", "ndjson")
        .help("default: by the file name (.ndjson/.jsonl/.json, else csv)");
    subparser
        .addArgument("--user-column")
        .dest("user_column")
        .help(
            "column with the user identifier (default user_identifier); NDJSON: a dotted path"
                + " such as properties.distinct_id reaches into nested objects");
    subparser
        .addArgument("--event-column")
        .dest("event_column")
        .help("column with the event name (default event_name)");
    subparser
        .addArgument("--time-column")
        .dest("time_column")
        .help("column with the event time (default timestamp)");
    subparser
        .addArgument("--time-unit")
        .dest("time_unit")
        .choices("s", "ms", "iso", "auto")
        .help("s, ms (epoch integers), iso (ISO-8601 with offset), auto (default: like the API)");
    subparser
        .addArgument("--id-column")
        .dest("id_column")
        .help("column with a client event id (default: event_id if present, else derived per row)");
    subparser
        .addArgument("--metadata-column")
        .dest("metadata_column")
        .help("NDJSON: the object whose fields become metadata keys (default metadata)");
    subparser
        .addArgument("--header")
        .dest("header")
        .action(Arguments.storeTrue())
        .help("the CSV's first row names the columns (default)");
    subparser
        .addArgument("--no-header")
        .dest("no_header")
        .action(Arguments.storeTrue())
        .help("the CSV has no header row; name the columns with --columns");
    subparser.addArgument("--columns").dest("columns").help("a,b,c: column names (--no-header)");
    subparser
        .addArgument("--rejects")
        .dest("rejects")
        .help("file for rejected rows (default <file>.rejects.ndjson)");
    subparser
        .addArgument("--batch-size")
        .dest("batch_size")
        .type(Integer.class)
        .setDefault(ImportOptions.DEFAULT_BATCH_SIZE)
        .help("rows per transaction (default 5000)");
    subparser
        .addArgument("--writers")
        .dest("writers")
        .type(Integer.class)
        .setDefault(ImportOptions.DEFAULT_WRITERS)
        .help("writer connections (default 2)");
  }

  @Override
  protected void run(
      TraceticsConfiguration configuration, DataSourceFactory db, MigrateResult migrated) {
    ImportOptions options = options(namespace());
    Jdbi jdbi = JdbiSetup.configure(Jdbi.create(db.getUrl(), db.getUser(), db.getPassword()));
    jdbi.installPlugin(new SqlObjectPlugin());
    ProgressBar bar = new ProgressBar(System.err, "rows");
    ImportSummary summary;
    try {
      summary = new Importer(jdbi, Clock.systemUTC()).run(options, bar::updateFraction);
    } finally {
      bar.finish();
    }
    System.out.printf("Imported %s into app %d%n", options.file(), options.appId());
    System.out.print(summary.format());
  }

  /** The mapping options a preset replaces, by their argument names. */
  private static final List<String> MAPPING_OPTIONS =
      List.of(
          "user_column",
          "event_column",
          "time_column",
          "time_unit",
          "id_column",
          "metadata_column",
          "columns");

  static ImportOptions options(Namespace ns) {
    boolean noHeader = Boolean.TRUE.equals(ns.getBoolean("no_header"));
    if (noHeader && Boolean.TRUE.equals(ns.getBoolean("header"))) {
      throw new IllegalArgumentException("--header and --no-header exclude each other");
    }
    String presetName = ns.getString("preset");
    ImportPreset preset = presetName == null ? null : ImportPreset.named(presetName);
    if (preset != null) {
      for (String option : MAPPING_OPTIONS) {
        if (ns.get(option) != null) {
          throw new IllegalArgumentException(
              "--preset maps the records the tool's way; --"
                  + option.replace('_', '-')
                  + " does not apply with it");
        }
      }
      if (noHeader || Boolean.TRUE.equals(ns.getBoolean("header"))) {
        throw new IllegalArgumentException("--preset reads NDJSON; --header/--no-header are CSV's");
      }
    }
    String columns = ns.getString("columns");
    List<String> names =
        columns == null
            ? List.of()
            : Arrays.stream(columns.split(",", -1)).map(String::trim).toList();
    String rejects = ns.getString("rejects");
    return new ImportOptions(
        ns.getLong("app"),
        Path.of(ns.getString("input")),
        ns.getString("format"),
        preset,
        ns.getString("user_column"),
        ns.getString("event_column"),
        ns.getString("time_column"),
        ns.getString("time_unit"),
        ns.getString("id_column"),
        ns.getString("metadata_column"),
        !noHeader,
        names,
        rejects == null ? null : Path.of(rejects),
        ns.getInt("batch_size"),
        ns.getInt("writers"));
  }
}
