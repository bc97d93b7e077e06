package io.tracetics.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two real event logs in {@code bench.dataDir}, end to end through the product: imported with
 * the real {@code import} command into a running service, loaded by its pipeline, then reported
 * through the HTTP API (Taobao pv -> cart -> buy within 1 hour; trivago search for destination ->
 * interaction item image -> clickout item within 1 day, by device).
 *
 * <p>Floors measured in the same run: for the import, {@code LOAD DATA LOCAL INFILE} of the very
 * rows the import stored (same table, same indexes: the database's own bulk-load rate); for a
 * report, one scan of the funnel's events plus a GROUP BY user through the SQL endpoint of the same
 * service (same HTTP path, same DuckDB). Each funnel's users per step are checked against the
 * self-join formulation run through the SQL endpoint.
 *
 * <p>System properties: {@code bench.dataDir} (default {@code ../shared/data}), {@code
 * bench.imports} (imports per log, each into a new app; default 3), {@code bench.queryRuns} (timed
 * reports after one warm-up; default 5), {@code bench.dbUrl} (default {@code
 * jdbc:mariadb://127.0.0.1:3306/bench_realdata}; dropped and created at the start), {@code
 * bench.redisUrl}, {@code bench.section} (also write the Markdown section to this file).
 */
public final class RealDataBenchmark {
  private static final Path DATA_DIR =
      Path.of(System.getProperty("bench.dataDir", "../shared/data"));
  private static final int IMPORTS = Integer.getInteger("bench.imports", 3);
  private static final int QUERY_RUNS = Integer.getInteger("bench.queryRuns", 5);
  private static final String DB_URL =
      System.getProperty(
          "bench.dbUrl", "jdbc:mariadb://127.0.0.1:3306/bench_realdata?sslMode=disable");
  private static final String REDIS_URL =
      System.getProperty("bench.redisUrl", "redis://127.0.0.1:6379");
  private static final Pattern SUMMARY =
      Pattern.compile(
          "accepted\\s+([\\d,]+) \\(new ([\\d,]+).*?rejected\\s+([\\d,]+).*?elapsed\\s+([\\d.]+) s",
          Pattern.DOTALL);

  /** One log: its file, the import's column mapping and the funnel to report. */
  record Dataset(
      String name,
      String file,
      List<String> importArgs,
      List<String> steps,
      long windowSeconds,
      String breakdown) {}

  static final List<Dataset> DATASETS =
      List.of(
          new Dataset(
              "Taobao",
              "taobao_userbehavior_20171126_slice.csv.gz",
              List.of(
                  "--no-header",
                  "--columns",
                  "user_id,item_id,category_id,behavior_type,timestamp",
                  "--user-column",
                  "user_id",
                  "--event-column",
                  "behavior_type",
                  "--time-unit",
                  "s"),
              List.of("pv", "cart", "buy"),
              3_600,
              null),
          new Dataset(
              "trivago",
              "trivago_rsc2019_sample_100k.csv.gz",
              List.of(
                  "--user-column", "user_id", "--event-column", "action_type", "--time-unit", "s"),
              List.of("search for destination", "interaction item image", "clickout item"),
              86_400,
              "device"));

  private RealDataBenchmark() {}

  record ImportRun(long rows, long stored, long rejected, double seconds) {}

  /**
   * A generated CSV of {@code bench.syntheticRows} rows (default 1,000,000; 0 skips it) in the
   * API's column names, to show the import's steady rate on a file larger than the real logs.
   */
  private static Dataset synthetic(Path dir) throws Exception {
    int rows = Integer.getInteger("bench.syntheticRows", 1_000_000);
    if (rows == 0) {
      return null;
    }
    Path file = dir.resolve("synthetic.csv");
    java.util.Random random = new java.util.Random(42);
    String[] devices = {"ios", "android", "web"};
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("user_identifier,event_name,timestamp,device,page\n");
      long start = 1_700_000_000_000L;
      for (int i = 0; i < rows; i++) {
        out.write(
            "u"
                + (int) (200_000 * Math.pow(random.nextDouble(), 1.5))
                + ",n"
                + random.nextInt(20)
                + ","
                + (start + (long) (random.nextDouble() * 90 * 86_400_000L))
                + ","
                + devices[random.nextInt(3)]
                + ",/p/"
                + random.nextInt(500)
                + "\n");
      }
    }
    return new Dataset(
        String.format(Locale.ROOT, "synthetic, %,d rows", rows),
        file.toString(),
        List.of("--time-unit", "ms"),
        List.of(),
        0,
        null);
  }

  public static void main(String[] args) throws Exception {
    List<Dataset> datasets = datasets();
    BenchService.recreateDatabase(DB_URL);
    StringBuilder imports = new StringBuilder();
    StringBuilder funnels = new StringBuilder();
    StringBuilder breakdowns = new StringBuilder();
    long peakRss;
    try (BenchService service = BenchService.start(DB_URL, REDIS_URL, "")) {
      BenchService.TenantApp tenant = service.createTenantAndApp();
      Api api = new Api(service.baseUrl(), tenant.managementToken());
      for (Dataset d : datasets) {
        Imported imported = importRow(service, api, d);
        imports.append(imported.row());
        if (!d.steps().isEmpty()) {
          waitUntilLoaded(api, imported.app(), imported.first().stored());
          funnels.append(reportFunnel(api, imported.app(), d, breakdowns));
        }
      }
      peakRss = service.peakRssMb();
    }
    String section = section(imports, funnels, breakdowns, peakRss);
    System.out.println();
    System.out.println(section);
    Report.writeSection(section);
  }

  /** The two real logs (which must be in {@code bench.dataDir}) and the synthetic file, if any. */
  private static List<Dataset> datasets() throws Exception {
    List<Dataset> datasets = new ArrayList<>(DATASETS);
    Dataset synthetic = synthetic(Files.createTempDirectory("tracetics-bench-import"));
    if (synthetic != null) {
      datasets.add(synthetic);
    }
    for (Dataset d : DATASETS) {
      if (!Files.isRegularFile(DATA_DIR.resolve(d.file()))) {
        throw new IllegalStateException(
            "Missing " + DATA_DIR.resolve(d.file()).toAbsolutePath() + " (set -Dbench.dataDir)");
      }
    }
    return datasets;
  }

  /** The app the first import went into, that import, and the import table's row. */
  record Imported(long app, ImportRun first, String row) {}

  /**
   * Imports {@code d} {@code bench.imports} times, each into a new app; once more into the first
   * app (a re-run: everything already stored); then measures the floor on the first app.
   */
  private static Imported importRow(BenchService service, Api api, Dataset d) throws Exception {
    long app = -1;
    List<Double> rates = new ArrayList<>();
    ImportRun first = null;
    for (int i = 0; i < IMPORTS; i++) {
      long fresh = newApp(api, "import-" + i);
      ImportRun run = importFile(service, fresh, d);
      System.out.printf(
          Locale.ROOT,
          "%s import %d: %,d rows in %.2f s%n",
          d.name(),
          i + 1,
          run.rows(),
          run.seconds());
      rates.add(run.rows() / run.seconds());
      if (first == null) {
        first = run;
        app = fresh;
      }
    }
    ImportRun again = importFile(service, app, d);
    Stats floor = loadDataFloor(api, service, app);
    Stats rate = Stats.of(rates);
    String row =
        String.format(
            Locale.ROOT,
            "| %s | %,d | %,d | %,d | %s | %s | %s | %.0f%% | %,.0f |%n",
            d.name(),
            first.rows(),
            first.stored(),
            first.rejected(),
            rate.median("%,.0f"),
            rate.spread("%,.0f"),
            floor.median("%,.0f"),
            100 * rate.median() / floor.median(),
            again.rows() / again.seconds());
    return new Imported(app, first, row);
  }

  private static String section(
      StringBuilder imports, StringBuilder funnels, StringBuilder breakdowns, long peakRss) {
    return """
        ## Real data: import and funnels

        The two real logs in the data directory (`bench.dataDir`; Taobao UserBehavior slice, Alibaba; trivago RecSys \
        Challenge 2019 sample, Adamczak et al., ACM TIST 12(1), 2020), imported with \
        `./tracetics import` into a running service (%d imports of each log, each into a new app; \
        median and spread), loaded by its pipeline, and reported over HTTP.

        | log | rows | stored | rejected | import rows/s (median) | spread | floor: LOAD DATA LOCAL INFILE rows/s | vs floor | re-run, all already stored, rows/s |
        |---|---:|---:|---:|---:|---:|---:|---:|---:|
        %s
        Floor: `LOAD DATA LOCAL INFILE` of the very rows the import stored, into the same table \
        (same indexes), one connection, median of 3. Import rates are the command's own summary \
        (file read to last commit; the JVM start is not counted). The synthetic file (generated, \
        5 columns, 200,000 users) shows the steady rate past the JIT warm-up that dominates the \
        small real logs. Target: 100,000 rows/s.

        | log | funnel | users per step | conversion from first | median time to convert | report ms (median) | spread | floor ms | x floor | self-join agrees |
        |---|---|---|---|---|---:|---:|---:|---:|---|
        %s
        Report: `POST /api/v1/apps/{id}/funnels/report` (computed, never cached), %d runs after a \
        warm-up. Floor: one scan of the funnel's events plus `GROUP BY user_identifier` through \
        `POST /api/v1/apps/{id}/sql` on the same service. Self-join: the common SQL formulation \
        (each step joined to the previous one per user within the window), run through the same \
        SQL endpoint; it must give the same users per step.

        trivago by device (breakdown of the funnel above):

        | device | users per step | conversion from first |
        |---|---|---|
        %s
        Peak RSS of the service JVM (VmHWM, DuckDB included): %d MB.
        """
        .formatted(IMPORTS, imports, funnels, QUERY_RUNS, breakdowns, peakRss);
  }

  private static long newApp(Api api, String name) throws Exception {
    return api.post("/api/v1/apps", Api.JSON.createObjectNode().put("name", name))
        .get("app_id")
        .asLong();
  }

  private static ImportRun importFile(BenchService service, long app, Dataset d) throws Exception {
    List<String> args = new ArrayList<>();
    args.add("--app");
    args.add(Long.toString(app));
    args.add("--file");
    args.add(DATA_DIR.resolve(d.file()).toString()); // an absolute file stays as it is
    args.add("--rejects");
    args.add(Files.createTempFile("tracetics-bench-rejects", ".ndjson").toString());
    args.addAll(d.importArgs());
    String output = service.runCommand("import", args);
    Matcher m = SUMMARY.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("No import summary in:\n" + output);
    }
    long accepted = number(m.group(1));
    long rejected = number(m.group(3));
    return new ImportRun(
        accepted + rejected, number(m.group(2)), rejected, Double.parseDouble(m.group(4)));
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }

  /**
   * The database's own bulk-load rate for the rows the import stored: they are written to a
   * tab-separated file and loaded into a new app with {@code LOAD DATA LOCAL INFILE}, timed from
   * the statement to its commit. Those rows have no ingest batch, so the pipeline never loads them.
   */
  private static Stats loadDataFloor(Api api, BenchService service, long app) throws Exception {
    Path tsv = Files.createTempFile("tracetics-bench-floor", ".tsv");
    String url = DB_URL + (DB_URL.contains("?") ? "&" : "?") + "allowLocalInfile=true";
    List<Double> rates = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url, "root", "")) {
      long rows = 0;
      try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT user_identifier, event_name, event_time_ms, received_at_ms,"
                      + " client_event_id, metadata FROM events WHERE app_id = ?");
          BufferedWriter out = Files.newBufferedWriter(tsv, StandardCharsets.UTF_8)) {
        select.setLong(1, app);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            for (int c = 1; c <= 6; c++) {
              out.write(c == 1 ? "" : "\t");
              String value = rs.getString(c);
              out.write(value == null ? "\\N" : tsvEscape(value));
            }
            out.write('\n');
            rows++;
          }
        }
      }
      for (int run = 0; run < 3; run++) {
        long floorApp = newApp(api, "floor-" + app + "-" + run);
        connection.setAutoCommit(false);
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "LOAD DATA LOCAL INFILE '"
                  + tsv.toString().replace("'", "''")
                  + "' INTO TABLE events CHARACTER SET utf8mb4"
                  + " (user_identifier, event_name, event_time_ms, received_at_ms,"
                  + " client_event_id, metadata)"
                  + " SET app_id = "
                  + floorApp
                  + ", batch_id = 0");
        }
        connection.commit();
        rates.add(rows / ((System.nanoTime() - start) / 1e9));
        connection.setAutoCommit(true);
      }
    } finally {
      Files.deleteIfExists(tsv);
    }
    return Stats.of(rates);
  }

  private static String tsvEscape(String value) {
    return value
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r");
  }

  /** Waits until the app's events are all in the service's DuckDB (its SQL endpoint sees them). */
  private static void waitUntilLoaded(Api api, long app, long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    long seen = -1;
    while (System.nanoTime() < deadline) {
      seen = api.sql(app, "SELECT count(*) FROM events").get(0).get(0).asLong();
      if (seen == expected) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "The pipeline loaded " + seen + " of " + expected + " events of app " + app);
  }

  private static String reportFunnel(Api api, long app, Dataset d, StringBuilder breakdowns)
      throws Exception {
    ObjectNode definition = Api.JSON.createObjectNode();
    definition.put("name", d.name());
    definition.put("window_seconds", d.windowSeconds());
    definition.put("order", "ordered");
    ArrayNode steps = definition.putArray("steps");
    d.steps().forEach(step -> steps.addObject().put("event_name", step));
    if (d.breakdown() != null) {
      definition.put("breakdown", d.breakdown());
    }
    String path = "/api/v1/apps/" + app + "/funnels/report";
    JsonNode report = api.post(path, definition); // warm-up
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < QUERY_RUNS; i++) {
      long start = System.nanoTime();
      report = api.post(path, definition);
      times.add((System.nanoTime() - start) / 1e6);
    }
    String floorSql =
        "SELECT count(*) FROM (SELECT user_identifier, count(*) FROM events WHERE event_name IN ("
            + String.join(", ", d.steps().stream().map(RealDataBenchmark::literal).toList())
            + ") GROUP BY user_identifier)";
    api.sql(app, floorSql); // warm-up
    List<Double> floorTimes = new ArrayList<>();
    for (int i = 0; i < QUERY_RUNS; i++) {
      long start = System.nanoTime();
      api.sql(app, floorSql);
      floorTimes.add((System.nanoTime() - start) / 1e6);
    }
    Stats time = Stats.of(times);
    Stats floor = Stats.of(floorTimes);

    List<Long> users = users(report.get("steps"));
    List<Long> selfJoin = selfJoin(api, app, d, "");
    String agrees = users.equals(selfJoin) ? "yes" : "NO: self-join " + selfJoin;
    if (d.breakdown() != null) {
      for (JsonNode group : report.get("breakdowns")) {
        String value = group.get("value").isNull() ? null : group.get("value").asText();
        List<Long> groupUsers = users(group.get("steps"));
        String property = "e0.metadata->>" + literal(d.breakdown());
        List<Long> groupJoin =
            selfJoin(
                api,
                app,
                d,
                value == null
                    ? " AND " + property + " IS NULL"
                    : " AND " + property + " = " + literal(value));
        breakdowns.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s |%n",
                value == null ? "(not set)" : value,
                join(groupUsers),
                conversions(group.get("steps"))));
        if (!groupUsers.equals(groupJoin)) {
          agrees = "NO for " + value + ": self-join " + groupJoin;
        }
      }
    }
    List<String> ttc = new ArrayList<>();
    for (JsonNode step : report.get("steps")) {
      JsonNode median = step.path("time_to_convert").path("median_seconds");
      if (!median.isMissingNode() && !median.isNull()) {
        ttc.add(String.format(Locale.ROOT, "%.0f s", median.asDouble()));
      }
    }
    return String.format(
        Locale.ROOT,
        "| %s | %s, %s window | %s | %s | %s | %s | %s | %s | %.1f | %s |%n",
        d.name(),
        String.join(" -> ", d.steps()),
        d.windowSeconds() == 3_600 ? "1 h" : d.windowSeconds() / 3_600 + " h",
        join(users),
        conversions(report.get("steps")),
        String.join(" / ", ttc),
        time.median("%.0f"),
        time.spread("%.0f"),
        floor.median("%.0f"),
        time.median() / floor.median(),
        agrees);
  }

  private static List<Long> users(JsonNode steps) {
    List<Long> users = new ArrayList<>();
    steps.forEach(step -> users.add(step.get("users").asLong()));
    return users;
  }

  private static String join(List<Long> users) {
    List<String> parts = new ArrayList<>();
    users.forEach(u -> parts.add(String.format(Locale.ROOT, "%,d", u)));
    return String.join(" / ", parts);
  }

  private static String conversions(JsonNode steps) {
    List<String> parts = new ArrayList<>();
    steps.forEach(
        s ->
            parts.add(
                String.format(
                    Locale.ROOT, "%.2f%%", 100 * s.get("conversion_from_first").asDouble())));
    return String.join(" / ", parts);
  }

  /**
   * Users per step by the self-join formulation (ordered mode: each step at or after the previous
   * one and within the window of the first; distinct event names, so no event fills two steps).
   * {@code condition} narrows the step-1 events {@code e0}, e.g. to one breakdown value (the
   * breakdown property is constant per user in the trivago sample, so this equals the engine's
   * per-attempt value).
   */
  private static List<Long> selfJoin(Api api, long app, Dataset d, String condition)
      throws Exception {
    List<String> steps = d.steps();
    StringBuilder select = new StringBuilder("SELECT ");
    StringBuilder from = new StringBuilder(" FROM events e0");
    for (int i = 0; i < steps.size(); i++) {
      select
          .append(i == 0 ? "" : ", ")
          .append("count(DISTINCT e")
          .append(i)
          .append(".user_identifier)");
      if (i > 0) {
        from.append(
            String.format(
                Locale.ROOT,
                " LEFT JOIN events e%1$d ON e%1$d.user_identifier = e%2$d.user_identifier"
                    + " AND e%1$d.event_name = %3$s AND e%1$d.event_time >= e%2$d.event_time"
                    + " AND e%1$d.event_time <= e0.event_time + INTERVAL %4$d SECOND",
                i,
                i - 1,
                literal(steps.get(i)),
                d.windowSeconds()));
      }
    }
    String where = " WHERE e0.event_name = " + literal(steps.get(0)) + condition;
    JsonNode row = api.sql(app, select + from.toString() + where).get(0);
    List<Long> users = new ArrayList<>();
    row.forEach(v -> users.add(v.asLong()));
    return users;
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
