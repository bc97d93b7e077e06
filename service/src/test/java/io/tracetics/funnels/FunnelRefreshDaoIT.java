package io.tracetics.funnels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.testing.TestJdbi;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lease statements on MariaDB: monotonic wants, exclusive claims, expiry, owner-only writes.
 */
class FunnelRefreshDaoIT {
  private static final long T = 1_000_000;
  private static final long LEASE = 10_000;
  private static Jdbi jdbi;

  @BeforeAll
  static void setUp() {
    jdbi = TestJdbi.create();
  }

  private static FunnelRefreshDao.Row row(long app) {
    return jdbi.withExtension(FunnelRefreshDao.class, dao -> dao.find(app)).orElseThrow();
  }

  private static void want(long app, long position, long now) {
    jdbi.useExtension(
        FunnelRefreshDao.class, dao -> dao.want(List.of(app), List.of(position), now));
  }

  private static int claim(long app, String owner, long position, long now) {
    return jdbi.withExtension(
        FunnelRefreshDao.class, dao -> dao.claim(app, owner, owner, position, now, now + LEASE));
  }

  private static int renew(long app, String owner, long expiresAt) {
    return jdbi.withExtension(FunnelRefreshDao.class, dao -> dao.renew(app, owner, expiresAt));
  }

  private static int finish(long app, String owner, long position, long covered, long now) {
    return jdbi.withExtension(
        FunnelRefreshDao.class,
        dao -> dao.finish(app, owner, owner, position, position * 10, covered, now - 5, now));
  }

  @Test
  void wantsOnlyGrowAndMarkWhenTheFunnelsFellBehind() {
    long app = TestJdbi.newApp(jdbi, "refresh-wants-" + System.nanoTime());
    want(app, 5, T);
    want(app, 3, T + 10); // a node loading an older epoch later: no change
    FunnelRefreshDao.Row row = row(app);
    assertEquals(5, row.wantedPosition());
    assertEquals(T, row.wantedAtMs());
    want(app, 7, T + 20); // still behind: behind since the first want
    assertEquals(7, row(app).wantedPosition());
    assertEquals(T, row(app).wantedAtMs());
  }

  @Test
  void oneOwnerAtATimeUntilTheLeaseExpires() {
    long app = TestJdbi.newApp(jdbi, "refresh-claims-" + System.nanoTime());
    want(app, 5, T);
    assertEquals(0, claim(app, "a", 0, T), "a copy not past the refreshed position");
    assertEquals(1, claim(app, "a", 5, T));
    assertEquals(0, claim(app, "b", 6, T + 1), "held");
    assertEquals(1, claim(app, "a", 5, T + 2), "already ours");
    assertEquals(0, renew(app, "b", T + 99));
    assertEquals(1, renew(app, "a", T + LEASE));
    // Expired (not renewed): b takes it, and a's late finish records nothing.
    assertEquals(0, claim(app, "b", 6, T + LEASE - 1));
    assertEquals(1, claim(app, "b", 6, T + LEASE + 1));
    assertEquals(0, finish(app, "a", 5, 5, T + LEASE + 2));
    assertEquals(0, row(app).refreshedPosition());
    assertEquals(1, finish(app, "b", 6, 5, T + LEASE + 3));
    FunnelRefreshDao.Row row = row(app);
    assertEquals(6, row.refreshedPosition());
    assertEquals(60L, row.refreshedEvents());
    assertEquals("b", row.refreshedBy());
    assertEquals(1, row.refreshCount());
    assertNull(row.leaseOwner());
    assertEquals(0, claim(app, "a", 9, T + LEASE + 4), "nothing wanted any more");
  }

  @Test
  void loadsDuringARefreshLeaveItBehindFromTheRefreshsStart() {
    long app = TestJdbi.newApp(jdbi, "refresh-coalesce-" + System.nanoTime());
    want(app, 5, T);
    assertEquals(1, claim(app, "a", 5, T + 10));
    want(app, 6, T + 20);
    want(app, 7, T + 30);
    assertEquals(1, finish(app, "a", 5, 5, T + 40));
    FunnelRefreshDao.Row row = row(app);
    assertEquals(7, row.wantedPosition());
    assertEquals(5, row.refreshedPosition());
    assertEquals(T + 35, row.wantedAtMs(), "behind since the refresh started");
    assertEquals(
        List.of(app),
        jdbi.withExtension(FunnelRefreshDao.class, d -> d.due(T + 50, 1000)).stream()
            .filter(a -> a == app)
            .toList());
    // A partial refresh (its copy behind what was wanted) keeps the older time.
    assertEquals(1, claim(app, "b", 6, T + 60));
    assertEquals(1, finish(app, "b", 6, 7, T + 70));
    assertEquals(T + 35, row(app).wantedAtMs());
    assertEquals(6, row(app).refreshedPosition());
    // Caught up: no longer due.
    assertEquals(1, claim(app, "a", 8, T + 80));
    assertEquals(1, finish(app, "a", 8, 7, T + 90));
    assertTrue(
        jdbi.withExtension(FunnelRefreshDao.class, d -> d.due(T + 100, 1000)).stream()
            .noneMatch(a -> a == app));
    assertEquals(8, row(app).refreshedPosition());
  }
}
