package io.tracetics.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The ingest benchmark's report: each line printed and added to its section of RESULTS.md. */
final class IngestReport {
  private final StringBuilder section = new StringBuilder();
  private final IngestSettings settings;

  IngestReport(IngestSettings settings) {
    this.settings = settings;
  }

  /** Prints a line and adds it to the report section. */
  void line(String format, Object... args) {
    String text = String.format(Locale.ROOT, format, args);
    System.out.print(text);
    section.append(text);
  }

  String section() {
    return section.toString();
  }

  void intro() {
    System.out.printf(
        Locale.ROOT,
        "Tracetics ingest benchmark, %s, %d cores, %s%n%n",
        Instant.now(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    line(
        "## Ingest%n%nLoopback HTTP against the service (a separate JVM), %d s per measurement"
            + " (paced: %d s), median of %d runs (spread: slowest and fastest run); batch = %d"
            + " events per request."
            + " Command alone: `./mvnw -q -pl benchmarks -am -DskipTests -Pingest-bench package`.%n%n",
        settings.seconds(), settings.pacedSeconds(), settings.runs(), settings.batch());
  }

  void warmUp(int rounds, long seconds, double compilerPercent) {
    line(
        "Warm-up: %d rounds of every request kind (%d s), until the service's JIT compiler threads"
            + " used under %.0f%% of a core during a round (last round: %.1f%%).%n%n",
        rounds, seconds, settings.warmupCompilerPercent(), compilerPercent);
  }

  /** The server settings that decide what a commit costs. */
  void durability(String dbUrl) throws SQLException {
    try (Connection connection = DriverManager.getConnection(dbUrl, "root", "");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SHOW VARIABLES WHERE Variable_name IN ('version', 'innodb_flush_log_at_trx_commit',"
                    + " 'sync_binlog', 'log_bin', 'innodb_flush_method', 'innodb_buffer_pool_size')")) {
      StringBuilder text = new StringBuilder("MariaDB:");
      while (rows.next()) {
        text.append(' ').append(rows.getString(1)).append('=').append(rows.getString(2));
      }
      text.append("; service setting ingest.writerThreads=").append(settings.writers());
      line("%s%n%n", text);
    }
  }

  void closedLoopsIntro() {
    line(
        "Floors are measured in the same rounds as what they are compared with: each round of a"
            + " row runs (a), then the real endpoint, then for batches (b), and a ratio is the"
            + " median of the %d rounds' own ratios (the floors drift by more than the targets'"
            + " margins over the minutes a run takes). (b) is raw multi-row INSERTs of the same"
            + " rows into the same table (JDBC, 1 connection, %d rows/statement, %d rows/commit).%n%n",
        settings.runs(), RawInsertFloor.ROWS_PER_STATEMENT, RawInsertFloor.ROWS_PER_TRANSACTION);
  }

  void sustainedIntro() {
    line(
        "%n### Sustained%n%nThe best client count of each kind again, %d s per measurement, one round:"
            + " floor (a), floor (b) for batches, then the real endpoint. After the real batch run"
            + " the service is busy for as long as its loader needs to catch up (shown, at most"
            + " 30 s).%n%n",
        settings.sustainedSeconds());
  }

  void tableHeader() {
    line(
        "| load | clients | accepted events/s (median) | spread | p50 ms | p99 ms | floor (a): no-I/O"
            + " endpoint | vs (a) | floor (b): raw INSERT rows/s | vs (b) | failed requests |%n");
    line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
  }

  void row(String load, int clients, Rounds.Paired paired) {
    boolean batch = paired.raw() != null;
    LoadResult real = paired.real().median();
    LoadResult floor = paired.floor().median();
    line(
        "| %s | %d | %,.0f | %s | %.2f | %.2f | %,.0f %s | %.0f%% | %s | %s | %d |%n",
        load,
        clients,
        real.eventsPerSecond(),
        paired.real().rate().spread("%,.0f"),
        real.p50Ms(),
        real.p99Ms(),
        batch ? floor.eventsPerSecond() : floor.requestsPerSecond(),
        batch ? "events/s" : "req/s",
        100 * paired.vsFloor().median(),
        batch ? String.format(Locale.ROOT, "%,.0f", paired.raw().median().eventsPerSecond()) : "",
        batch ? String.format(Locale.ROOT, "%.0f%%", 100 * paired.vsRaw().median()) : "",
        real.failed());
  }

  void paced(String load, int clients, Rounds.Measured measured) {
    LoadResult real = measured.median();
    line(
        "| %s | %d | %,.0f | %s | %.2f | %.2f (runs: %s) | | | | | %d |%n",
        load,
        clients,
        real.eventsPerSecond(),
        measured.rate().spread("%,.0f"),
        real.p50Ms(),
        real.p99Ms(),
        measured.p99().spread("%.1f"),
        real.failed());
  }

  /** The target lines of a block, under {@code "Targets, this run, " + which}. */
  void targets(String which, List<String> verdicts) {
    line("%nTargets, this run, %s:%n%n", which);
    for (String verdict : verdicts) {
      line("- %s%n", verdict);
    }
  }

  /** The ratio target of a load at its best client count, against floor {@code floor}. */
  static String ratioVerdict(
      String load, double rate, String unit, Stats ratios, String floor, int targetPercent) {
    return verdict(
        String.format(
            Locale.ROOT,
            "%s, at the client count with the highest rate (%,.0f %s): %.0f%% of (%s) (rounds: %.0f%%"
                + " - %.0f%%)",
            load,
            rate,
            unit,
            100 * ratios.median(),
            floor,
            100 * ratios.min(),
            100 * ratios.max()),
        "target >= " + targetPercent + "%",
        100 * ratios.median() >= targetPercent);
  }

  /** The p99 target of a paced load. */
  static String p99Verdict(String load, double p99Ms) {
    return verdict(
        String.format(Locale.ROOT, "%s: p99 %.1f ms", load, p99Ms), "target < 50 ms", p99Ms < 50);
  }

  private static String verdict(String measured, String target, boolean met) {
    return measured + " (" + target + "): " + (met ? "met" : "not met");
  }
}
