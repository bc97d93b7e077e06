package io.tracetics.funnels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracetics.loader.SavedFunnelsLag;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FunnelRefreshStatusTest {
  private static final long NOW = 1_700_000_000_000L;

  private static FunnelRefreshDao.Row row(
      long wanted, Long wantedAt, long refreshed, Long refreshedEvents) {
    return new FunnelRefreshDao.Row(
        7,
        wanted,
        wantedAt,
        refreshed,
        refreshedEvents,
        NOW - 5_000,
        "node-a",
        3,
        null,
        null,
        null,
        NOW - 6_000,
        null);
  }

  @Test
  void behindShowsPositionsEventsAndTime() {
    SavedFunnelsLag lag = FunnelRefreshStatus.lag(row(12, NOW - 2_500, 10, 100L), 130L, NOW);
    assertEquals(2, lag.positionsBehind());
    assertEquals(30L, lag.eventsBehind());
    assertEquals(Instant.ofEpochMilli(NOW - 2_500), lag.behindSince());
    assertEquals(2_500, lag.lagMs());
    assertEquals(Instant.ofEpochMilli(NOW - 5_000), lag.lastRefreshedAt());
    assertEquals("node-a", lag.lastRefreshedBy());
    assertEquals(3, lag.refreshes());
  }

  @Test
  void upToDateIsNoLagWhateverTheCopyHolds() {
    SavedFunnelsLag lag = FunnelRefreshStatus.lag(row(12, NOW - 2_500, 12, 100L), 130L, NOW);
    assertEquals(0, lag.positionsBehind());
    assertEquals(0L, lag.eventsBehind());
    assertNull(lag.behindSince());
    assertEquals(0, lag.lagMs());
  }

  @Test
  void aCopyBehindTheRefreshCountsNoNegativeEvents() {
    assertEquals(0L, FunnelRefreshStatus.lag(row(12, NOW, 10, 100L), 90L, NOW).eventsBehind());
  }

  @Test
  void eventsBehindAreUnknownBeforeTheFirstRefreshOrWithoutTheCopysCount() {
    assertNull(FunnelRefreshStatus.lag(row(12, NOW, 0, null), 90L, NOW).eventsBehind());
    assertNull(FunnelRefreshStatus.lag(row(12, NOW, 10, 100L), null, NOW).eventsBehind());
  }
}
