package io.tracetics.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The real-data benchmark's inputs: the two real logs (kept outside the repository, in {@code
 * bench.dataDir}) with their import mappings and funnels, and a generated CSV.
 */
final class RealDataSets {
  private RealDataSets() {}

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

  /**
   * A generated CSV of {@code bench.syntheticRows} rows (default 1,000,000; 0 skips it) in the
   * API's column names, to show the import's steady rate on a file larger than the real logs.
   */
  private static Dataset synthetic(Path dir) throws IOException {
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

  /** The two real logs (which must be in {@code bench.dataDir}) and the synthetic file, if any. */
  static List<Dataset> all(Path dataDir) throws IOException {
    List<Dataset> datasets = new ArrayList<>(DATASETS);
    Dataset synthetic = synthetic(Files.createTempDirectory("tracetics-bench-import"));
    if (synthetic != null) {
      datasets.add(synthetic);
    }
    for (Dataset d : DATASETS) {
      if (!Files.isRegularFile(dataDir.resolve(d.file()))) {
        throw new IllegalStateException(
            "Missing " + dataDir.resolve(d.file()).toAbsolutePath() + " (set -Dbench.dataDir)");
      }
    }
    return datasets;
  }
}
