package io.tracetics.engine.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.StoreConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard and the runner against an in-memory store holding two apps. */
class ReadOnlySqlRunnerTest {
  static final long APP = 1;
  static final long OTHER = 2;
  static AnalyticsStore store;
  static ReadOnlySqlRunner runner;

  @BeforeAll
  static void load() {
    store = AnalyticsStore.open(StoreConfig.inMemory());
    List<EventRow> rows = new ArrayList<>();
    long t = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    rows.add(new EventRow(1, APP, "alice", "visit", t, t, "{\"plan\": \"pro\"}"));
    rows.add(new EventRow(2, APP, "bob", "visit", t + 1000, t + 1000, "{\"plan\": \"free\"}"));
    rows.add(new EventRow(3, APP, "alice", "signup", t + 2000, t + 2000, null));
    rows.add(new EventRow(4, OTHER, "mallory", "secret", t, t, "{\"plan\": \"x\"}"));
    store.load("test", 1, rows);
    runner = new ReadOnlySqlRunner(store, new ExploreLimits(Duration.ofSeconds(2), 100, 2, 5000));
  }

  @AfterAll
  static void close() {
    store.close();
  }

  static List<List<Object>> run(String query) {
    try (ExploreResult result = runner.open(APP, query)) {
      List<List<Object>> out = new ArrayList<>();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < result.columns().size(); i++) {
          row.add(result.value(i));
        }
        out.add(row);
      }
      return out;
    }
  }

  static ExploreException refused(String query) {
    return assertThrows(ExploreException.class, () -> run(query), query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT 1; DROP TABLE events",
        "DROP TABLE events",
        "DELETE FROM events",
        "INSERT INTO events VALUES (1)",
        "UPDATE events SET event_name = 'x'",
        "CREATE TABLE t AS SELECT 1",
        "COPY events TO '/tmp/tracetics-x.csv'",
        "EXPORT DATABASE '/tmp/tracetics-export'",
        "ATTACH '/tmp/tracetics-x.duckdb' AS x",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET threads = 8",
        "RESET threads",
        "PRAGMA database_list",
        "CALL duckdb_tables()",
        "PIVOT events ON event_name",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_parquet('/tmp/x.parquet')",
        "SELECT * FROM glob('/*')",
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM main.events",
        "SELECT * FROM memory.main.events",
        "SELECT * FROM temp.events",
        "SELECT * FROM load_staging",
        "SELECT * FROM load_positions",
        "SELECT * FROM events_view",
        "SELECT * FROM duckdb_tables()",
        "SELECT * FROM duckdb_settings()",
        "SELECT * FROM duckdb_databases()",
        "SELECT * FROM duckdb_tables",
        "SELECT * FROM information_schema.tables",
        "SELECT * FROM pg_class",
        "SELECT * FROM sqlite_master",
        "SELECT * FROM query('SELECT * FROM main.events')",
        "SELECT * FROM query_table('main.events')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        "SELECT getenv('HOME')",
        "SELECT current_setting('memory_limit')",
        "SELECT current_database()",
        "SELECT version()",
        "SELECT nextval('s')",
        "SELECT pg_sleep(100)",
        "SELECT main.lower('x')",
        "DESCRIBE events",
        "SUMMARIZE events",
        "SHOW TABLES",
        "SELECT * FROM events AT (VERSION => 1)",
        "WITH a AS (SELECT * FROM load_staging), load_staging AS (SELECT 1) SELECT * FROM a",
        "WITH load_staging AS (SELECT * FROM load_staging) SELECT * FROM load_staging",
        "WITH RECURSIVE load_staging AS (SELECT * FROM load_staging) SELECT * FROM load_staging",
        "SELECT (SELECT count(*) FROM load_staging)",
        "SELECT * FROM (SELECT 1) t, LATERAL (SELECT * FROM load_positions)",
        "SELECT event_id FROM events UNION ALL SELECT event_id FROM main.events",
        "SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) q, x",
        "SELECT tracetics_window_funnel(1000, user_key, event_time_ms, 1::TINYINT) FROM events",
        "LOAD '/tmp/tracetics_funnel.duckdb_extension'",
      })
  void refusesEverythingButOneSelectOverEvents(String query) {
    ExploreException e = refused(query);
    assertTrue(
        e.kind() == ExploreException.Kind.NOT_ALLOWED
            || e.kind() == ExploreException.Kind.SYNTAX_ERROR,
        () -> query + " -> " + e.kind() + ": " + e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void theStoreIsIntactAndLockedAfterTheAttempts() throws Exception {
    refused("SELECT 1; DROP TABLE events");
    refused("SELECT 1; SET lock_configuration = false");
    assertEquals(4, count("SELECT count(*) FROM main.events"));
    try (Connection c = store.openReader();
        Statement st = c.createStatement()) {
      assertThrows(java.sql.SQLException.class, () -> st.execute("SET threads = 4"));
      assertThrows(
          java.sql.SQLException.class,
          () -> st.executeQuery("SELECT * FROM read_csv('/etc/passwd')"));
    }
    // The loader still loads after the lock.
    store.load("test2", 1, List.of(new EventRow(99, 3, "u", "n", 1, 1, null)));
    assertEquals(5, count("SELECT count(*) FROM main.events"));
  }

  static long count(String sql) throws Exception {
    try (Connection c = store.openReader();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void seesOnlyItsAppWithTheDocumentedColumns() {
    try (ExploreResult r = runner.open(APP, "SELECT * FROM events ORDER BY event_id")) {
      assertEquals(
          List.of(
              new ExploreResult.Column("event_id", "BIGINT"),
              new ExploreResult.Column("user_identifier", "VARCHAR"),
              new ExploreResult.Column("person_id", "VARCHAR"),
              new ExploreResult.Column("event_name", "VARCHAR"),
              new ExploreResult.Column("event_time", "TIMESTAMP"),
              new ExploreResult.Column("received_at", "TIMESTAMP"),
              new ExploreResult.Column("metadata", "JSON")),
          r.columns());
    }
    assertEquals(List.of(List.of(3L)), run("SELECT count(*) FROM events"));
    assertEquals(
        List.of(List.of("free"), List.of("pro")),
        run("SELECT metadata->>'plan' AS p FROM events WHERE p IS NOT NULL ORDER BY p"));
    assertEquals(
        List.of(List.of(3L)),
        run("WITH events AS (SELECT * FROM events) SELECT count(*) FROM events"));
    assertEquals(
        List.of(List.of(0L)), run("SELECT count(*) FROM events WHERE user_identifier = 'mallory'"));
    ExploreException noAppId = refused("SELECT * FROM events WHERE app_id = 2");
    assertEquals(ExploreException.Kind.QUERY_ERROR, noAppId.kind());
  }

  @Test
  void allowsTheUsualAnalyticsConstructs() {
    assertEquals(
        List.of(List.of("signup", 1L), List.of("visit", 2L)),
        run("SELECT event_name, count(*) FROM events GROUP BY 1 ORDER BY 1"));
    assertEquals(
        List.of(List.of(6L)),
        run(
            "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3)"
                + " SELECT CAST(sum(n) AS BIGINT) FROM r"));
    assertEquals(List.of(List.of(3L)), run("SELECT count(*) FROM range(3)"));
    assertEquals(List.of(List.of(2L)), run("SELECT count(*) FROM generate_series(1, 2)"));
    assertEquals(
        List.of(List.of(3L)), run("SELECT CAST(sum(x) AS BIGINT) FROM unnest([1, 2]) t(x)"));
    assertEquals(List.of(List.of(1L)), run("SELECT count(*) FROM json_each('{\"a\": 1}')"));
    assertEquals(
        List.of(List.of("alice", 1L), List.of("alice", 2L), List.of("bob", 1L)),
        run(
            "SELECT user_identifier, row_number() OVER (PARTITION BY user_identifier"
                + " ORDER BY event_time) FROM events ORDER BY 1, 2"));
    assertEquals(List.of(List.of(2L)), run("SELECT count(*) FROM (VALUES (1), (2)) v(x)"));
    assertEquals(
        List.of(List.of(1L, 1L)),
        run(
            "SELECT count(*) FILTER (WHERE event_name = 'visit'),"
                + " count(*) FILTER (WHERE event_name = 'signup') FROM events"
                + " WHERE user_identifier = 'alice'"));
    assertEquals(
        List.of(List.of(true)),
        run("SELECT date_trunc('day', min(event_time)) <= current_date FROM events"));
    assertEquals(List.of(List.of(1)), run("SELECT 1 AS x"));
  }

  @Test
  void explainsProblemsWithTheText() {
    assertEquals(ExploreException.Kind.SYNTAX_ERROR, refused("SELEC 1").kind());
    assertEquals(ExploreException.Kind.NOT_ALLOWED, refused("   ").kind());
    assertEquals(ExploreException.Kind.NOT_ALLOWED, refused("-- only a comment").kind());
    assertEquals(
        ExploreException.Kind.TOO_LONG, refused("SELECT " + "1 + ".repeat(2000) + "1").kind());
    ExploreException unknown = refused("SELECT nope FROM events");
    assertEquals(ExploreException.Kind.QUERY_ERROR, unknown.kind());
    assertTrue(unknown.getMessage().contains("nope"), unknown::getMessage);
    // A parameter has no value to bind: DuckDB refuses it.
    refused("SELECT * FROM events WHERE event_id = $1");
  }

  @Test
  void capsRowsAndSaysSo() {
    try (ExploreResult r = runner.open(APP, "SELECT * FROM range(10000000)")) {
      int n = 0;
      while (r.next()) {
        n++;
      }
      assertEquals(100, n);
      assertTrue(r.truncated());
    }
    try (ExploreResult r = runner.open(APP, "SELECT * FROM range(100)")) {
      while (r.next()) {
        // all
      }
      assertEquals(100, r.rowCount());
      assertFalse(r.truncated());
    }
  }

  @Test
  void timesOut() {
    long start = System.nanoTime();
    ExploreException e = refused("SELECT count(*) FROM range(1000000000) a, range(1000000000) b");
    assertEquals(ExploreException.Kind.TIMEOUT, e.kind(), e::getMessage);
    assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
    assertEquals(List.of(List.of(3L)), run("SELECT count(*) FROM events"));
  }

  @Test
  void refusesBeyondTheConcurrencyCap() {
    try (ExploreResult a = runner.open(APP, "SELECT 1");
        ExploreResult b = runner.open(APP, "SELECT 2")) {
      assertEquals(ExploreException.Kind.BUSY, refused("SELECT 3").kind());
    }
    assertEquals(List.of(List.of(3)), run("SELECT 3"));
  }

  @Test
  void writesArrowCutAtTheCap() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ExploreResult r = runner.open(APP, "SELECT range AS n FROM range(250)")) {
      r.writeArrow(out);
      assertTrue(r.truncated());
      assertEquals(100, r.rowCount());
    }
    long rows = 0;
    long sum = 0;
    try (RootAllocator allocator = new RootAllocator();
        ArrowStreamReader reader =
            new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator)) {
      while (reader.loadNextBatch()) {
        BigIntVector n = (BigIntVector) reader.getVectorSchemaRoot().getVector("n");
        for (int i = 0; i < reader.getVectorSchemaRoot().getRowCount(); i++) {
          sum += n.get(i);
          rows++;
        }
      }
    }
    assertEquals(100, rows);
    assertEquals(99 * 100 / 2, sum);
  }
}
