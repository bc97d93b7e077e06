package io.tracetics.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.reference.ReferenceFunnel;
import io.tracetics.engine.reference.Summary;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.StoreConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two real logs of shared/data (read in place, never copied), loaded through the real load API
 * in a shuffled order and checked against the reference evaluator. The directory is taken from
 * {@code -Dtracetics.shared.data}, else found by walking up from the working directory to a {@code
 * shared/data}. Missing data skips the tests locally and fails them when {@code CI=true}.
 */
class RealDataTest {
  private static final long TAOBAO = 501;
  private static final long TRIVAGO = 502;
  private static AnalyticsStore store;
  private static List<EventRow> taobao;
  private static List<EventRow> trivago;

  @BeforeAll
  static void load() throws IOException {
    Optional<Path> dir = sharedData();
    if (dir.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(
          "shared/data not found (set -Dtracetics.shared.data); required under CI");
    }
    Assumptions.assumeTrue(dir.isPresent(), "shared/data not found; real-data checks skipped");
    taobao = taobao(dir.get().resolve("taobao_userbehavior_20171126_slice.csv.gz"));
    trivago = trivago(dir.get().resolve("trivago_rsc2019_sample_100k.csv.gz"), taobao.size() + 1);
    store = AnalyticsStore.open(StoreConfig.inMemory());
    FunnelHarness.loadShuffled(store, taobao, 1);
    FunnelHarness.loadShuffled(store, trivago, 2);
    assertEquals(110_300, store.count(TAOBAO));
    assertEquals(100_003, store.count(TRIVAGO));
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
  }

  static Optional<Path> sharedData() {
    String prop = System.getProperty("tracetics.shared.data");
    if (prop != null) {
      return Optional.of(Path.of(prop)).filter(Files::isDirectory);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data");
      if (Files.isRegularFile(candidate.resolve("taobao_userbehavior_20171126_slice.csv.gz"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Test
  void taobaoPvCartBuyWithinOneHour() {
    for (OrderMode mode : OrderMode.values()) {
      FunnelQuery q =
          FunnelQuery.builder(TAOBAO)
              .order(mode)
              .step("pv")
              .step("cart")
              .step("buy")
              .window(Duration.ofHours(1))
              .build();
      FunnelResult r = compare(q, taobao);
      if (mode == OrderMode.ORDERED) {
        long[] users = r.users();
        assertTrue(
            users[0] > 50_000 && users[1] > 1_000 && users[2] > 10,
            "plausible counts " + users[0] + "/" + users[1] + "/" + users[2]);
      }
    }
  }

  @Test
  void taobaoTenMinutesByCategory() {
    FunnelQuery q =
        FunnelQuery.builder(TAOBAO)
            .step("pv")
            .step("fav")
            .step("buy")
            .window(Duration.ofMinutes(10))
            .breakdown(new Breakdown("category_id", 5))
            .build();
    assertEquals(6, compare(q, taobao).breakdowns().size());
  }

  @Test
  void trivagoSearchImageClickoutWithinOneDayByDevice() {
    FunnelQuery q =
        FunnelQuery.builder(TRIVAGO)
            .step("search for destination")
            .step("interaction item image")
            .step("clickout item")
            .window(Duration.ofDays(1))
            .breakdown(Breakdown.of("device"))
            .build();
    FunnelResult r = compare(q, trivago);
    assertEquals(3, r.breakdowns().size(), "desktop, mobile, tablet");
    long[] users = r.users();
    assertTrue(users[0] > 1_000 && users[2] > 100, "plausible counts");
  }

  @Test
  void trivagoUnorderedAndRepeatedStep() {
    compare(
        FunnelQuery.builder(TRIVAGO)
            .order(OrderMode.UNORDERED)
            .step("search for destination")
            .step("filter selection")
            .step("clickout item")
            .window(Duration.ofHours(1))
            .build(),
        trivago);
    compare(
        FunnelQuery.builder(TRIVAGO)
            .step("clickout item")
            .step("clickout item")
            .step("clickout item")
            .window(Duration.ofMinutes(5))
            .build(),
        trivago);
  }

  private static FunnelResult compare(FunnelQuery q, List<EventRow> rows) {
    FunnelResult r = FunnelHarness.run(store, q);
    assertEquals(
        ReferenceFunnel.evaluate(q, rows).toString(), Summary.of(r).toString(), q.toString());
    return r;
  }

  // ------------------------------------------------------------------ parsing

  private static BufferedReader gz(Path file) throws IOException {
    return new BufferedReader(
        new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8));
  }

  /** user_id,item_id,category_id,behavior_type,timestamp (seconds), no header. */
  private static List<EventRow> taobao(Path file) throws IOException {
    List<EventRow> out = new ArrayList<>();
    try (BufferedReader in = gz(file)) {
      String line;
      long id = 1;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(",");
        long t = Long.parseLong(f[4]) * 1000;
        String md = "{\"item_id\":\"" + f[1] + "\",\"category_id\":\"" + f[2] + "\"}";
        out.add(new EventRow(id++, TAOBAO, f[0], f[3], t, t, md));
      }
    }
    return out;
  }

  /**
   * RFC 4180 CSV with a header; the columns used are found by name: user_id, timestamp (Unix
   * seconds), action_type, device, platform.
   */
  private static List<EventRow> trivago(Path file, long firstId) throws IOException {
    List<EventRow> out = new ArrayList<>();
    try (BufferedReader in = gz(file)) {
      List<String> header = csv(in.readLine());
      int user = header.indexOf("user_id");
      int time = header.indexOf("timestamp");
      int action = header.indexOf("action_type");
      int device = header.indexOf("device");
      int platform = header.indexOf("platform");
      String line;
      long id = firstId;
      while ((line = in.readLine()) != null) {
        List<String> f = csv(line);
        long t = Long.parseLong(f.get(time)) * 1000;
        String md =
            "{\"device\":\"" + f.get(device) + "\",\"platform\":\"" + f.get(platform) + "\"}";
        out.add(new EventRow(id++, TRIVAGO, f.get(user), f.get(action), t, t, md));
      }
    }
    return out;
  }

  private static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        fields.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    fields.add(cur.toString());
    return fields;
  }
}
