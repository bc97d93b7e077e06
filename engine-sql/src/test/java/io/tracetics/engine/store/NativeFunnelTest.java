package io.tracetics.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the native funnel aggregate (src/main/c) into a store, and nothing more. */
class NativeFunnelTest {

  /**
   * The build makes the extension wherever it has a C compiler; a store then loads it. CI must
   * build and test it, so there a missing extension on Linux with a compiler fails.
   */
  @Test
  void storesLoadTheExtensionThisBuildMade() {
    if (NativeFunnel.file().isEmpty()) {
      boolean buildable =
          NativeFunnel.platform().filter(p -> p.startsWith("linux")).isPresent()
              && List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                  .anyMatch(dir -> Files.isExecutable(Path.of(dir, "cc")));
      if (buildable && "true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("no native funnel extension although cc is here: see engine-sql's build warning");
      }
      Assumptions.abort("this build has no native funnel extension (see its build warning)");
    }
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory())) {
      assertTrue(store.nativeFunnel());
    }
  }

  /**
   * {@code tracetics_window_funnel(window, u, t, k)} over {@code (u, t, k)} rows, grouped by {@code
   * u >> bits}: "u=[step times] " per user with a step-1 event, in user order.
   */
  private static String perUser(long window, int bits, String rows) throws SQLException {
    return perUser(window, "", bits, rows);
  }

  /**
   * {@link #perUser(long, int, String)} with {@code within} (empty, or {@code ", <list>"}) as the
   * aggregate's time limits argument.
   */
  private static String perUser(long window, String within, int bits, String rows)
      throws SQLException {
    Assumptions.assumeTrue(NativeFunnel.file().isPresent(), "no native funnel extension");
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory());
        Connection c = store.openReader();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT r.u, r.tt::VARCHAR FROM (SELECT unnest(b) AS r FROM (SELECT"
                    + " tracetics_window_funnel("
                    + window
                    + ", u::BIGINT, t::BIGINT, k::TINYINT"
                    + within
                    + ") AS b FROM (VALUES "
                    + rows
                    + ") v(u, t, k) GROUP BY u::BIGINT >> "
                    + bits
                    + ")) ORDER BY r.u")) {
      StringBuilder got = new StringBuilder();
      while (rs.next()) {
        got.append(rs.getLong(1)).append('=').append(rs.getString(2)).append(' ');
      }
      return got.toString();
    }
  }

  private static String perUser(long window, String rows) throws SQLException {
    String one = perUser(window, 0, rows);
    assertEquals(one, perUser(window, 12, rows), "one user per group and 4096 users per group");
    return one;
  }

  @Test
  void computesTheChosenAttemptPerUser() throws SQLException {
    // 2: one millisecond past the window; 3: no step 1 (no entry); 4: the later start reaches
    // further; 5: exactly at the window converts, a NULL step is ignored.
    assertEquals(
        "1=[0, 10, 20] 2=[0] 4=[100, 60100, 60100] 5=[0, 60000] ",
        perUser(
            60_000,
            "(1, 0, 1), (1, 10, 2), (1, 20, 3), (2, 0, 1), (2, 60001, 2), (3, 5, 2), (3, 6, 3),"
                + " (4, 0, 1), (4, 100, 1), (4, 60100, 2), (4, 60100, 3),"
                + " (5, 0, 1), (5, 60000, 2), (5, NULL, 3)"));
  }

  /**
   * With {@code within_ms} (step k's limit at k; B within 100 ms of A, C within 10 ms of B): 1:
   * only the later B is near enough to C; 2: B 1 ms past its limit; 3: B exactly at it. Steps past
   * the list's end have no limit (4; and 1 then takes its first B). With one user per group and
   * 4096.
   */
  @Test
  void stepTimeLimits() throws SQLException {
    String rows =
        "(1, 0, 1), (1, 10, 2), (1, 100, 2), (1, 105, 3), (2, 0, 1), (2, 101, 2),"
            + " (3, 0, 1), (3, 100, 2), (4, 0, 1), (4, 50, 2), (4, 900, 3)";
    for (int bits : new int[] {0, 12}) {
      assertEquals(
          "1=[0, 100, 105] 2=[0] 3=[0, 100] 4=[0, 50] ",
          perUser(1000, ", [1000, 100, 10]::BIGINT[]", bits, rows),
          "bits " + bits);
      assertEquals(
          "1=[0, 10, 105] 2=[0] 3=[0, 100] 4=[0, 50, 900] ",
          perUser(1000, ", [1000, 100]::BIGINT[]", bits, rows),
          "bits " + bits);
    }
  }

  /** A time limits list that is NULL, too long or holds a limit it cannot encode is refused. */
  @Test
  void refusesBadTimeLimits() {
    for (String within :
        List.of("NULL::BIGINT[]", "range(32)::BIGINT[]", "[1000, -1]::BIGINT[]", "[1000, NULL]")) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> perUser(1000, ", " + within, 0, "(1, 0, 1), (1, 5, 2)"),
              within);
      assertTrue(e.getMessage().contains("within_ms must be"), e.getMessage());
    }
  }

  /** A window over 2^31 ms is held in seconds: still exact to the millisecond at its end. */
  @Test
  void longWindowsKeepTheirBoundary() throws SQLException {
    long w = 30L * 86_400_000L;
    assertEquals(
        "1=[0, " + w + "] 2=[0] ",
        perUser(w, "(1, 0, 1), (1, " + w + ", 2), (2, 0, 1), (2, " + (w + 1) + ", 2)"));
  }

  /**
   * Users of one group are told apart by their low 12 bits, and given back whole: keys at the edges
   * of a block, far apart, and negative; each user's events interleaved with the others'.
   */
  @Test
  void keepsTheUsersOfAGroupApart() throws SQLException {
    long[] users = {0, 1, 4095, 4096, 4097, 1L << 40, (1L << 40) + 4095, -1, -4096, -4097};
    StringBuilder rows = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    long[] sorted = users.clone();
    Arrays.sort(sorted);
    for (int step = 1; step <= 3; step++) {
      for (int i = 0; i < users.length; i++) {
        if (step <= 1 + i % 3) {
          rows.append(rows.length() == 0 ? "" : ", ")
              .append('(')
              .append(users[i])
              .append(", ")
              .append(1000 * i + step)
              .append(", ")
              .append(step)
              .append(')');
        }
      }
    }
    for (long u : sorted) {
      int i = Arrays.stream(users).boxed().toList().indexOf(u);
      expected.append(u).append("=[");
      for (int step = 1; step <= 1 + i % 3; step++) {
        expected.append(step == 1 ? "" : ", ").append(1000 * i + step);
      }
      expected.append("] ");
    }
    for (int bits : new int[] {0, 4, 10, 12}) {
      assertEquals(expected.toString(), perUser(60_000, bits, rows.toString()), "bits " + bits);
    }
  }

  /** Grouped by more than 12 bits, a group would mix users the aggregate cannot tell apart. */
  @Test
  void refusesGroupsWiderThanABlock() {
    SQLException e =
        assertThrows(SQLException.class, () -> perUser(60_000, 13, "(1, 0, 1), (4097, 5, 1)"));
    assertTrue(e.getMessage().contains("must share u >> 12"), e.getMessage());
  }

  /**
   * A group that cannot get memory gives up: its result is NULL (the aggregate's result code), not
   * an error; a group without a step-1 user is an empty list, never NULL.
   */
  @Test
  void aGroupWithoutMemoryAnswersNull() throws SQLException {
    Assumptions.assumeTrue(NativeFunnel.file().isPresent(), "no native funnel extension");
    String blocks =
        "SELECT u::BIGINT >> 12 AS g, tracetics_window_funnel(60000, u::BIGINT, t::BIGINT,"
            + " k::TINYINT) IS NULL AS gave_up, len(tracetics_window_funnel(60000, u::BIGINT,"
            + " t::BIGINT, k::TINYINT)) AS n FROM (VALUES (1, 0, 1), (2, 5, 2), (4097, 0, 2))"
            + " v(u, t, k) GROUP BY g ORDER BY g";
    long defaultCap = StoreConfig.bytes(StoreConfig.DEFAULT_NATIVE_FUNNEL_MEMORY);
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory());
        Connection c = store.openReader();
        Statement st = c.createStatement()) {
      assertEquals("0:false:1 1:false:0 ", answer(st, blocks));
      st.execute("SELECT tracetics_funnel_memory_cap(0)");
      try {
        assertEquals("0:true:null 1:true:null ", answer(st, blocks));
      } finally {
        st.execute("SELECT tracetics_funnel_memory_cap(" + defaultCap + ")");
      }
    }
  }

  private static String answer(Statement st, String sql) throws SQLException {
    StringBuilder got = new StringBuilder();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        got.append(rs.getLong(1)).append(':').append(rs.getBoolean(2)).append(':');
        got.append(rs.getObject(3)).append(' ');
      }
    }
    return got.toString();
  }

  @Test
  void canBeTurnedOff() {
    try (AnalyticsStore store =
        AnalyticsStore.open(StoreConfig.inMemory().withNativeFunnel(false))) {
      assertFalse(store.nativeFunnel());
    }
  }

  /**
   * The store allows unsigned extensions only for its own, loaded before the lockdown: afterwards
   * no LOAD reaches a file, and the setting cannot change.
   */
  @Test
  void nothingElseCanBeLoadedAfterTheStoreOpened(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(NativeFunnel.file().isPresent(), "no native funnel extension");
    Path other = dir.resolve("other.duckdb_extension");
    Files.copy(NativeFunnel.file().get(), other);
    try (AnalyticsStore store = AnalyticsStore.open(StoreConfig.inMemory());
        Connection c = store.openReader();
        Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> st.execute("LOAD '" + other + "'"));
      assertTrue(e.getMessage().contains("Permission Error"), e.getMessage());
      assertThrows(SQLException.class, () -> st.execute("SET allow_unsigned_extensions = false"));
    }
  }
}
