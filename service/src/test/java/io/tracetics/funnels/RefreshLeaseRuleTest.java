package io.tracetics.funnels;

import static io.tracetics.funnels.RefreshLeaseRule.Outcome.CLAIM;
import static io.tracetics.funnels.RefreshLeaseRule.Outcome.CLAIM_PARTIAL;
import static io.tracetics.funnels.RefreshLeaseRule.Outcome.HELD;
import static io.tracetics.funnels.RefreshLeaseRule.Outcome.NOTHING_NEW;
import static io.tracetics.funnels.RefreshLeaseRule.Outcome.UP_TO_DATE;
import static io.tracetics.funnels.RefreshLeaseRule.Outcome.WAIT_FOR_CAUGHT_UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.funnels.RefreshLeaseRule.State;
import org.junit.jupiter.api.Test;

class RefreshLeaseRuleTest {
  private static final String ME = "node-a-1-x";
  private static final String OTHER = "node-b-2-y";
  private static final long NOW = 1_000_000;
  private static final long LEASE = 15_000;

  /** Free lease, behind since a moment ago, no refresh ever started. */
  private static State behind(long wanted, long refreshed) {
    return new State(wanted, refreshed, null, 0, NOW - 100, null);
  }

  private static RefreshLeaseRule.Outcome decide(State state, long copyPosition) {
    return RefreshLeaseRule.decide(state, ME, copyPosition, NOW, LEASE);
  }

  @Test
  void nothingWantedBeyondTheRefreshIsUpToDate() {
    assertEquals(UP_TO_DATE, decide(behind(10, 10), 12));
    // A refresh may have recorded more than was wanted (its copy had loaded further).
    assertEquals(UP_TO_DATE, decide(behind(10, 11), 12));
    assertEquals(UP_TO_DATE, decide(new State(10, 10, OTHER, NOW + 5_000, null, NOW), 12));
  }

  @Test
  void aCaughtUpCopyClaimsAFreeLease() {
    assertEquals(CLAIM, decide(behind(12, 10), 12));
    assertEquals(CLAIM, decide(behind(12, 10), 15));
    assertEquals(CLAIM, decide(behind(12, 0), 12));
  }

  @Test
  void aLeaseHeldByAnotherProcessIsLeftUntilItExpires() {
    State held = new State(12, 10, OTHER, NOW + 1, NOW - 100, NOW - 100);
    assertEquals(HELD, decide(held, 20));
    // Expired (its holder died or stalled): taken over.
    assertEquals(CLAIM, decide(new State(12, 10, OTHER, NOW, NOW - 100, NOW - 100), 20));
    assertEquals(CLAIM, decide(new State(12, 10, OTHER, NOW - 1, NOW - 100, NOW - 100), 20));
  }

  @Test
  void aLeaseAlreadyOursIsOursToUse() {
    assertEquals(CLAIM, decide(new State(12, 10, ME, NOW + 10_000, NOW - 100, NOW - 100), 12));
  }

  @Test
  void aCopyNotPastTheRefreshedPositionHasNothingToAdd() {
    assertEquals(NOTHING_NEW, decide(behind(12, 10), 10));
    assertEquals(NOTHING_NEW, decide(behind(12, 10), 3));
    // Even long behind: such a refresh could only record what is already recorded.
    assertEquals(NOTHING_NEW, decide(new State(12, 10, null, 0, NOW - 60_000, null), 10));
  }

  @Test
  void aCopyBehindTheWantedPositionWaitsForACaughtUpNode() {
    assertEquals(WAIT_FOR_CAUGHT_UP, decide(behind(12, 10), 11));
    // Behind long, but a refresh started recently (another node is at it or just was).
    assertEquals(
        WAIT_FOR_CAUGHT_UP, decide(new State(12, 10, null, 0, NOW - 60_000, NOW - 1_000), 11));
    // A refresh started long ago, but the funnels fell behind only recently.
    assertEquals(
        WAIT_FOR_CAUGHT_UP, decide(new State(12, 10, null, 0, NOW - 1_000, NOW - 60_000), 11));
  }

  @Test
  void aCopyBehindRefreshesWhatItHasOnceNoCaughtUpNodeDidForALeasePeriod() {
    assertEquals(CLAIM_PARTIAL, decide(new State(12, 10, null, 0, NOW - LEASE, null), 11));
    assertEquals(CLAIM_PARTIAL, decide(new State(12, 10, null, 0, NOW - 60_000, NOW - LEASE), 11));
    // An expired lease of a dead holder counts as no refresh for its lifetime.
    assertEquals(
        CLAIM_PARTIAL, decide(new State(12, 10, OTHER, NOW - 1, NOW - 60_000, NOW - 20_000), 11));
    // Unknown since when: treated as long.
    assertEquals(CLAIM_PARTIAL, decide(new State(12, 10, null, 0, null, null), 11));
  }

  @Test
  void onlyClaimsClaim() {
    assertTrue(CLAIM.claims());
    assertTrue(CLAIM_PARTIAL.claims());
    for (RefreshLeaseRule.Outcome outcome :
        new RefreshLeaseRule.Outcome[] {UP_TO_DATE, HELD, NOTHING_NEW, WAIT_FOR_CAUGHT_UP}) {
      assertFalse(outcome.claims(), outcome.name());
    }
  }
}
