package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import io.tracetics.testing.TestJdbi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports the two real logs of ../shared/data (read in place, never copied) and checks the stored
 * events against the figures of that directory's README. The import rate is printed, not asserted:
 * it depends on the machine and on what else runs.
 */
class RealDataImportIT {
  private static final Path DATA = Path.of("..", "..", "shared", "data").toAbsolutePath();
  private static final Path TAOBAO = DATA.resolve("taobao_userbehavior_20171126_slice.csv.gz");
  private static final Path TRIVAGO = DATA.resolve("trivago_rsc2019_sample_100k.csv.gz");

  @TempDir Path dir;

  @AfterEach
  void removeImportedEvents() {
    ImporterIT.cleanUp(TestJdbi.create());
  }

  @BeforeAll
  static void quietLogs() {
    // The JDBC driver logs every statement at DEBUG without a logging config; that is not
    // part of what an import costs.
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.INFO);
  }

  @Test
  void importsTheTaobaoSlice() {
    assumeTrue(Files.isReadable(TAOBAO), "no " + TAOBAO);
    Jdbi jdbi = TestJdbi.create();
    long app = ImporterIT.newApp(jdbi);
    ImportOptions options =
        ImportOptions.of(app, TAOBAO)
            .withoutHeader(
                List.of("user_id", "item_id", "category_id", "behavior_type", "timestamp"))
            .withMapping("user_id", "behavior_type", "timestamp", "s")
            .withRejects(dir.resolve("taobao.rejects.ndjson"));
    ImportSummary summary = new Importer(jdbi, Clock.systemUTC()).run(options, (f, r) -> {});
    report("Taobao", summary);

    assertEquals(110_300, summary.rows());
    assertEquals(110_300, summary.accepted());
    assertEquals(110_300, summary.stored(), "118 rows share (user, time) but are kept apart");
    assertEquals(0, summary.rejected());
    assertEquals(
        Map.of("pv", 98_361L, "cart", 6_063L, "fav", 3_383L, "buy", 2_493L),
        countsByName(jdbi, app));
    assertEquals(66_454L, distinctUsers(jdbi, app));
    assertEquals(
        List.of(1_511_658_000_000L, 1_511_665_811_000L),
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT MIN(event_time_ms), MAX(event_time_ms) FROM events WHERE app_id ="
                            + " :app")
                    .bind("app", app)
                    .map((rs, ctx) -> List.of(rs.getLong(1), rs.getLong(2)))
                    .one()));
    ImporterIT.assertLoaderSeesAll(jdbi, app, 110_300);

    ImportSummary again = new Importer(jdbi, Clock.systemUTC()).run(options, (f, r) -> {});
    report("Taobao re-run", again);
    assertEquals(0, again.stored());
    assertEquals(110_300, again.duplicates());
  }

  @Test
  void importsTheTrivagoSample() {
    assumeTrue(Files.isReadable(TRIVAGO), "no " + TRIVAGO);
    Jdbi jdbi = TestJdbi.create();
    long app = ImporterIT.newApp(jdbi);
    ImportOptions options =
        ImportOptions.of(app, TRIVAGO)
            .withMapping("user_id", "action_type", "timestamp", "s")
            .withRejects(dir.resolve("trivago.rejects.ndjson"));
    ImportSummary summary = new Importer(jdbi, Clock.systemUTC()).run(options, (f, r) -> {});
    report("trivago", summary);

    assertEquals(100_003, summary.rows());
    assertEquals(100_003, summary.stored());
    assertEquals(0, summary.rejected());
    Map<String, Long> names = countsByName(jdbi, app);
    assertEquals(68_538L, names.get("interaction item image"));
    assertEquals(13_597L, names.get("clickout item"));
    assertEquals(3_060L, names.get("search for destination"));
    assertEquals(6_593L, distinctUsers(jdbi, app));
    Map<String, Long> devices =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT JSON_VALUE(metadata, '$.device') AS d,"
                            + " COUNT(DISTINCT user_identifier) AS n FROM events WHERE app_id ="
                            + " :app GROUP BY d")
                    .bind("app", app)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
    assertEquals(Map.of("desktop", 2_453L, "mobile", 3_634L, "tablet", 506L), devices);
    ImporterIT.assertLoaderSeesAll(jdbi, app, 100_003);
  }

  private static void report(String name, ImportSummary summary) {
    System.out.printf(
        "IMPORT RATE %s: %,d rows in %.2f s = %,.0f rows/s (new %,d, duplicates %,d, rejected"
            + " %,d, batches %,d)%n",
        name,
        summary.rows(),
        summary.seconds(),
        summary.rowsPerSecond(),
        summary.stored(),
        summary.duplicates(),
        summary.rejected(),
        summary.batches());
  }

  private static Map<String, Long> countsByName(Jdbi jdbi, long app) {
    Map<String, Long> counts =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT event_name, COUNT(*) FROM events WHERE app_id = :app"
                            + " GROUP BY event_name")
                    .bind("app", app)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
    return new TreeMap<String, Long>(counts);
  }

  private static long distinctUsers(Jdbi jdbi, long app) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(DISTINCT user_identifier) FROM events WHERE app_id = :app")
                .bind("app", app)
                .mapTo(Long.class)
                .one());
  }
}
