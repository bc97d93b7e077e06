package io.tracetics.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code benchmarks/RESULTS.md}: a header describing the machine, then the Markdown sections
 * that the benchmarks wrote (each benchmark writes its section to the file named by {@code
 * -Dbench.section}). Run by {@code benchmarks/report.sh}; arguments: the output file, the command
 * that produced the report, then the section files in order (a missing one is reported as such).
 */
public final class Report {
  private Report() {}

  /** Whether a report asked for this benchmark's section ({@code -Dbench.section=file}). */
  static boolean sectionRequested() {
    return System.getProperty("bench.section") != null;
  }

  /** Writes a benchmark's section to {@code -Dbench.section}, when a report asked for it. */
  static void writeSection(String markdown) throws IOException {
    String file = System.getProperty("bench.section");
    if (file != null) {
      Path path = Path.of(file);
      Files.createDirectories(path.toAbsolutePath().getParent());
      Files.writeString(path, markdown.strip() + "\n", StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes a single run's results to {@code <results>/<stem>-<UTC date>.md}, where results is
   * {@code -Dbench.resultsDir} (default {@code benchmarks/results}, or {@code results} when run
   * from the module's directory). A second run on the same date gets {@code -2}, {@code -3}...
   * instead of replacing the first.
   */
  static Path writeResultsFile(String stem, String markdown) throws IOException {
    Path dir = Path.of(System.getProperty("bench.resultsDir", defaultResultsDir()));
    Files.createDirectories(dir);
    String name = stem + "-" + LocalDate.now(ZoneOffset.UTC);
    Path file = dir.resolve(name + ".md");
    for (int i = 2; Files.exists(file); i++) {
      file = dir.resolve(name + "-" + i + ".md");
    }
    Files.writeString(file, markdown, StandardCharsets.UTF_8);
    System.out.println("written to " + file);
    return file;
  }

  private static String defaultResultsDir() {
    return Files.isDirectory(Path.of("results")) ? "results" : "benchmarks/results";
  }

  public static void main(String[] args) throws Exception {
    Path output = Path.of(args[0]);
    String command = args[1];
    StringBuilder report = new StringBuilder();
    report
        .append("# Tracetics benchmark results\n\n")
        .append("Produced by `")
        .append(command)
        .append("` (see [README.md](README.md)); finished ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(". Every number below comes from that run: nothing is edited by hand.\n\n")
        .append("| machine | |\n|---|---|\n");
    for (String[] row : machine()) {
      report.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n");
    }
    report.append(
        "\nServer and load generator share the machine; floors are measured in the same run, so"
            + " compare the ratios rather than absolute times across runs. Medians over repeated"
            + " runs; spread is the smallest and largest run.\n");
    for (int i = 2; i < args.length; i++) {
      Path section = Path.of(args[i]);
      report.append('\n');
      if (Files.isRegularFile(section)) {
        report.append(Files.readString(section, StandardCharsets.UTF_8).strip()).append('\n');
      } else {
        report
            .append("## ")
            .append(section.getFileName())
            .append("\n\nNot produced: that benchmark failed in this run (see its output).\n");
      }
    }
    Files.writeString(output, report.toString(), StandardCharsets.UTF_8);
    System.out.println("Wrote " + output.toAbsolutePath());
  }

  private static List<String[]> machine() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"date (UTC)", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()});
    rows.add(new String[] {"CPU", cpuModel()});
    rows.add(new String[] {"cores", Integer.toString(Runtime.getRuntime().availableProcessors())});
    rows.add(new String[] {"memory", procField("/proc/meminfo", "MemTotal:")});
    rows.add(
        new String[] {
          "JDK",
          System.getProperty("java.vm.vendor")
              + " "
              + System.getProperty("java.vm.name")
              + " "
              + System.getProperty("java.version")
        });
    rows.add(
        new String[] {
          "OS", System.getProperty("os.name") + " " + System.getProperty("os.version")
        });
    rows.add(new String[] {"MariaDB", mariaDb()});
    rows.add(new String[] {"DuckDB", duckDb()});
    rows.add(new String[] {"load average at the end (1, 5, 15 min)", loadAverage()});
    return rows;
  }

  private static String cpuModel() {
    String model = procField("/proc/cpuinfo", "model name");
    return model.startsWith(":") ? model.substring(1).strip() : model;
  }

  private static String procField(String file, String prefix) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).strip();
        }
      }
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    return "unknown";
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String mariaDb() {
    String url =
        System.getProperty("bench.serverUrl", "jdbc:mariadb://127.0.0.1:3306/?sslMode=disable");
    try (Connection connection = DriverManager.getConnection(url, "root", "");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SHOW VARIABLES WHERE Variable_name IN ('version', 'innodb_flush_log_at_trx_commit',"
                    + " 'innodb_buffer_pool_size', 'log_bin')")) {
      List<String> parts = new ArrayList<>();
      while (rows.next()) {
        parts.add(rows.getString(1) + "=" + rows.getString(2));
      }
      return String.join(", ", parts);
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String duckDb() {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT version()")) {
      rows.next();
      return rows.getString(1);
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
