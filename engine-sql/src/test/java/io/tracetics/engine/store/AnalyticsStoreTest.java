package io.tracetics.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsStoreTest {

  /** Fails the next load right before it commits, after all of its work ran. */
  private static final class FailNextCommit implements LoadCommitHook {
    private final AtomicBoolean armed = new AtomicBoolean();

    void arm() {
      armed.set(true);
    }

    @Override
    public void beforeCommit(String loadStream, long position) {
      if (armed.getAndSet(false)) {
        throw new IllegalStateException("injected");
      }
    }
  }

  private static List<EventRow> rows(long fromId, long toId, long appId) {
    List<EventRow> out = new ArrayList<>();
    for (long id = fromId; id <= toId; id++) {
      out.add(
          new EventRow(
              id,
              appId,
              "u" + (id % 7),
              "e" + (id % 3),
              1_000 * id,
              1_000 * id + 5,
              "{\"i\":" + id + "}"));
    }
    return out;
  }

  /**
   * Rows whose metadata is not a JSON object are left out and named; the rest of the batch loads.
   */
  @Test
  void metadataThatIsNotAJsonObjectIsRejectedRowByRow() {
    String[] good = {null, "null", "{}", " {\"a\": [1, {\"b\": null}], \"c\": \"\\u00e9\"} "};
    String[] notObjects = {"[1, 2]", "\"text\"", "42"};
    String[] broken = {"{\"a\": 1, bad}", "{\"a\": [1, 2", ""};
    List<EventRow> batch = new ArrayList<>();
    long id = 1;
    for (String[] kind : List.of(good, notObjects, broken)) {
      for (String metadata : kind) {
        batch.add(new EventRow(id, 1, "u", "e", 1_000 * id, 1_000 * id, metadata));
        id++;
      }
    }
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      LoadResult result = store.load("s", 1, batch);
      assertEquals(4, result.inserted());
      assertEquals(0, result.skippedDuplicates());
      assertEquals(
          Map.of(
              5L, "metadata is not a JSON object",
              6L, "metadata is not a JSON object",
              7L, "metadata is not a JSON object",
              8L, "metadata is not valid JSON",
              9L, "metadata is not valid JSON",
              10L, "metadata is not valid JSON"),
          result.rejected());
      assertEquals(4, store.count(1));
      assertEquals(OptionalLong.of(1), store.position("s"));
      // Loaded again, the good rows are duplicates and the bad ones rejected again.
      LoadResult again = store.load("s", 1, batch);
      assertEquals(new LoadResult(0, 4, 1, result.rejected()), again);
    }
  }

  /** The caller records the rejected rows inside the load; if that fails, nothing is loaded. */
  @Test
  void rejectedRowsReachTheCallerBeforeTheCommitAndItsFailureRollsBack() {
    List<EventRow> batch = new ArrayList<>(rows(1, 5, 1));
    batch.add(new EventRow(6, 1, "u", "e", 6_000, 6_000, "[1]"));
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      assertThrows(
          IllegalStateException.class,
          () ->
              store.load(
                  "s",
                  1,
                  batch,
                  rejected -> {
                    throw new IllegalStateException("cannot record " + rejected);
                  }));
      assertEquals(0, store.count(1));
      assertEquals(OptionalLong.empty(), store.position("s"));
      List<Map<Long, String>> seen = new ArrayList<>();
      LoadResult result = store.load("s", 1, batch, seen::add);
      assertEquals(List.of(Map.of(6L, "metadata is not a JSON object")), seen);
      assertEquals(5, result.inserted());
      assertEquals(5, store.count(1));
      seen.clear();
      store.load("s", 2, rows(7, 8, 1), seen::add);
      assertEquals(List.of(), seen, "not called without rejected rows");
    }
  }

  @Test
  void repeatedAndOverlappingBatchesChangeNothing() {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      LoadResult first = store.load("s", 10, rows(1, 100, 1));
      assertEquals(new LoadResult(100, 0, 10), first);
      assertEquals(new LoadResult(0, 100, 10), store.load("s", 10, rows(1, 100, 1)));
      LoadResult overlap = store.load("s", 20, rows(51, 150, 1));
      assertEquals(50, overlap.inserted());
      assertEquals(50, overlap.skippedDuplicates());
      assertEquals(150, store.count(1));
      List<EventRow> withRepeat = new ArrayList<>(rows(151, 160, 1));
      withRepeat.addAll(rows(151, 155, 1));
      assertEquals(new LoadResult(10, 5, 30), store.load("s", 30, withRepeat));
      assertEquals(160, store.count(1));
    }
  }

  @Test
  void positionIsMonotonicAndPerStream() {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      assertEquals(OptionalLong.empty(), store.position("a"));
      store.load("a", 50, List.of());
      store.load("a", 40, rows(1, 3, 1));
      assertEquals(OptionalLong.of(50), store.position("a"));
      store.load("b", 7, List.of());
      assertEquals(OptionalLong.of(7), store.position("b"));
      assertEquals(3, store.count(1));
    }
  }

  @Test
  void failedLoadLeavesNothingBehind() {
    FailNextCommit failNext = new FailNextCommit();
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory(), failNext)) {
      store.load("s", 1, rows(1, 10, 1));
      // The load fails after the position update, the append and the move ran in its transaction.
      failNext.arm();
      assertThrows(IllegalStateException.class, () -> store.load("s", 2, rows(11, 21, 1)));
      assertEquals(10, store.count(1));
      assertEquals(OptionalLong.of(1), store.position("s"));
      assertEquals(new LoadResult(10, 0, 2), store.load("s", 2, rows(11, 20, 1)));
    }
  }

  @Test
  void commitHookHearsEachLoadWithItsStoredPosition() {
    List<String> heard = new ArrayList<>();
    try (AnalyticsStore store =
        AnalyticsStore.open(
            StoreConfig.inMemory(), (stream, position) -> heard.add(stream + "@" + position))) {
      store.load("a", 5, rows(1, 3, 1));
      store.load("a", 2, List.of()); // a lower position leaves the stored one
      store.load("b", 9, List.of());
    }
    assertEquals(List.of("a@5", "a@5", "b@9"), heard);
  }

  @Test
  void watermarkNamesTheNewestEvent() {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      assertEquals(Watermark.EMPTY, store.watermark(9));
      store.load("s", 1, rows(5, 9, 9));
      Watermark w = store.watermark(9);
      assertEquals(5, w.eventCount());
      assertEquals(OptionalLong.of(9), w.maxEventId());
      assertEquals(Optional.of(Instant.ofEpochMilli(9_005)), w.newestReceivedAt());
    }
  }

  /** The watermark the loader keeps, computed the slow way from the events themselves. */
  private static Watermark scannedWatermark(AnalyticsStore store, long appId) throws Exception {
    try (Connection c = store.openReader();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), max(event_id), max(received_at_ms) FROM events WHERE app_id = "
                    + appId)) {
      rs.next();
      return rs.getLong(1) == 0
          ? Watermark.EMPTY
          : new Watermark(
              rs.getLong(1),
              OptionalLong.of(rs.getLong(2)),
              Optional.of(Instant.ofEpochMilli(rs.getLong(3))));
    }
  }

  @Test
  void watermarkAgreesWithTheEventsThroughRepeatsOverlapsRejectsAndFailures() throws Exception {
    FailNextCommit failNext = new FailNextCommit();
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory(), failNext)) {
      List<EventRow> twoApps = new ArrayList<>(rows(1, 40, 1));
      twoApps.addAll(rows(41, 60, 2));
      store.load("s", 1, twoApps);
      store.load("s", 2, twoApps); // repeated: nothing new
      List<EventRow> overlap = new ArrayList<>(rows(31, 50, 2)); // 31..40 stored (app 1)
      overlap.add(new EventRow(51, 2, "u", "e", 1, 99_999, "[1]")); // stored id, bad metadata
      overlap.add(new EventRow(70, 2, "u", "e", 1, 99_999, "not json")); // rejected
      overlap.addAll(rows(61, 65, 2));
      overlap.addAll(rows(61, 63, 2)); // repeated inside the batch
      store.load("s", 3, overlap);
      failNext.arm();
      assertThrows(IllegalStateException.class, () -> store.load("s", 4, rows(66, 80, 1)));
      store.load("s", 5, rows(1, 5, 7)); // app 7's first batch: ids stored already (as app 1)
      assertEquals(Watermark.EMPTY, store.watermark(7));
      store.load("s", 6, rows(81, 83, 7));
      for (long app : List.of(1L, 2L, 3L, 7L)) {
        assertEquals(scannedWatermark(store, app), store.watermark(app), "app " + app);
      }
      assertEquals(40, store.count(1));
      assertEquals(25, store.count(2));
      assertEquals(3, store.count(7));
      assertEquals(OptionalLong.of(65), store.watermark(2).maxEventId());
      try (Connection c = store.openReader();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT count(*), count(DISTINCT app_id) FROM app_watermarks")) {
        rs.next();
        assertEquals(3, rs.getLong(1), "one row per app that was ever loaded");
        assertEquals(3, rs.getLong(2));
      }
    }
  }

  /** A file written before the watermark table existed gets its apps' rows when it opens. */
  @Test
  void watermarksOfAnOlderFileAreBuiltWhenItOpens(@TempDir Path dir) throws Exception {
    StoreConfig config =
        new StoreConfig(Optional.of(dir.resolve("old.duckdb")), "256MB", 1, Optional.empty());
    try (AnalyticsStore store = AnalyticsStore.open(config)) {
      store.load("s", 1, rows(1, 30, 4));
      store.load("s", 2, rows(31, 35, 5));
      try (Connection c = store.openReader();
          Statement st = c.createStatement()) {
        st.execute("DROP TABLE app_watermarks");
      }
    }
    try (AnalyticsStore store = AnalyticsStore.open(config)) {
      for (long app : List.of(4L, 5L, 6L)) {
        assertEquals(scannedWatermark(store, app), store.watermark(app), "app " + app);
      }
      assertEquals(30, store.count(4));
      store.load("s", 3, rows(36, 40, 4));
      assertEquals(35, store.count(4));
      assertEquals(scannedWatermark(store, 4), store.watermark(4));
    }
  }

  @Test
  void activityCountsAnAppsEventsAndItsRecentReceiptsWithThePosition() {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      assertEquals(OptionalLong.empty(), store.activity("s", List.of(9L), 0).position());
      store.load("s", 1, rows(5, 9, 9)); // received at 5,005 .. 9,005
      StoreActivity read = store.activity("s", List.of(9L, 4L), 7_000);
      assertEquals(OptionalLong.of(1), read.position());
      Map<Long, AppActivity> activity = read.apps();
      assertEquals(
          new AppActivity(5, Optional.of(Instant.ofEpochMilli(9_005)), 3), activity.get(9L));
      assertEquals(new AppActivity(0, Optional.empty(), 0), activity.get(4L));
    }
  }

  @Test
  void readersRunWhileTheLoaderWrites(@TempDir Path dir) throws Exception {
    StoreConfig config =
        new StoreConfig(
            Optional.of(dir.resolve("t.duckdb")), "256MB", 2, Optional.of(dir.resolve("tmp")));
    try (AnalyticsStore store = AnalyticsStore.open(config)) {
      ExecutorService pool = Executors.newFixedThreadPool(3);
      AtomicBoolean done = new AtomicBoolean();
      AtomicLong reads = new AtomicLong();
      Future<?> reader =
          pool.submit(
              () -> {
                long last = 0;
                while (!done.get()) {
                  try (Connection c = store.openReader();
                      Statement st = c.createStatement();
                      ResultSet rs =
                          st.executeQuery(
                              "SELECT count(*), count(DISTINCT event_id), (SELECT"
                                  + " coalesce(sum(event_count), 0) FROM app_watermarks) FROM"
                                  + " events")) {
                    rs.next();
                    long n = rs.getLong(1);
                    assertEquals(n, rs.getLong(2), "no duplicate ids are ever visible");
                    assertEquals(n, rs.getLong(3), "the watermark moves with the events");
                    assertEquals(0, n % 1000, "a batch is visible entirely or not at all");
                    assertTrue(n >= last, "counts never go back");
                    last = n;
                    reads.incrementAndGet();
                  }
                }
                return null;
              });
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        final int writer = w;
        writers.add(
            pool.submit(
                () -> {
                  for (int b = 0; b < 20; b++) {
                    // both writers send the same batches (a retry storm): each id is stored once
                    long from = b * 1000L + 1;
                    store.load("w" + writer, b, rows(from, from + 999, 1));
                  }
                  return null;
                }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      done.set(true);
      reader.get();
      pool.shutdown();
      assertEquals(20_000, store.count(1));
      assertTrue(reads.get() > 0);
    }
    try (AnalyticsStore reopened = AnalyticsStore.open(config)) {
      assertEquals(20_000, reopened.count(1), "the file keeps the data");
      assertEquals(OptionalLong.of(19), reopened.position("w0"));
    }
  }

  /** Each (app, user identifier) keeps one user_key over all loads; keys never repeat. */
  @Test
  void everyUserKeepsOneKeyAcrossLoadsAndApps() throws Exception {
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      store.load("s", 1, rows(1, 20, 1));
      store.load("s", 2, rows(21, 40, 2)); // the same identifiers in another app
      store.load("s", 3, rows(41, 60, 1));
      try (Connection c = store.openReader();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT (SELECT count(*) FROM (SELECT app_id, user_identifier FROM events"
                      + "   GROUP BY ALL HAVING count(DISTINCT user_key) <> 1)),"
                      + " (SELECT count(DISTINCT user_key) FROM events),"
                      + " (SELECT count(*) FROM (SELECT DISTINCT app_id, user_identifier FROM events)),"
                      + " (SELECT count(*) FROM users),"
                      + " (SELECT count(*) FROM events e JOIN users u USING (user_key)"
                      + "   WHERE u.app_id <> e.app_id OR u.user_identifier <> e.user_identifier)")) {
        rs.next();
        assertEquals(0, rs.getLong(1), "users with more than one key");
        assertEquals(14, rs.getLong(2), "7 users in each of 2 apps");
        assertEquals(14, rs.getLong(3));
        assertEquals(14, rs.getLong(4), "one dictionary row per (app, user)");
        assertEquals(0, rs.getLong(5), "events whose key names another user");
      }
    }
  }

  /** A file from before the dictionary's identity_hash keeps its users' keys. */
  @Test
  void anOlderFileKeepsItsUserKeys(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("old.duckdb");
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE users (app_id BIGINT NOT NULL, user_identifier VARCHAR NOT NULL,"
              + " user_key BIGINT NOT NULL)");
      st.execute("INSERT INTO users VALUES (1, 'u1', 41), (1, 'u2', 42)");
    }
    StoreConfig config = new StoreConfig(Optional.of(file), "256MB", 1, Optional.empty());
    try (AnalyticsStore store = AnalyticsStore.open(config)) {
      store.load("s", 1, rows(1, 14, 1)); // users u0..u6
      try (Connection c = store.openReader();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT user_identifier, min(user_key), max(user_key) FROM events"
                      + " GROUP BY ALL ORDER BY 1")) {
        Map<String, Long> keys = new java.util.TreeMap<>();
        while (rs.next()) {
          assertEquals(rs.getLong(2), rs.getLong(3));
          keys.put(rs.getString(1), rs.getLong(2));
        }
        assertEquals(7, keys.size());
        assertEquals(41L, keys.get("u1"));
        assertEquals(42L, keys.get("u2"));
        assertTrue(keys.get("u0") > 42 && keys.get("u6") > 42, "new users get new keys: " + keys);
        assertEquals(7, new java.util.HashSet<>(keys.values()).size());
      }
    }
  }
}
