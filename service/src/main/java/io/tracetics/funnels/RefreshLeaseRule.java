package io.tracetics.funnels;

/**
 * Whether this node should take an app's refresh lease and refresh its saved funnels now (pure).
 *
 * <p>Positions are load epochs, the same on every node: a copy at position P holds every epoch up
 * to P. The rule, in order:
 *
 * <ol>
 *   <li>{@code wanted <= refreshed}: nothing to do ({@link Outcome#UP_TO_DATE}).
 *   <li>Another process holds a lease that has not expired: leave it ({@link Outcome#HELD}).
 *   <li>This copy is not past {@code refreshed}: a refresh here would add nothing ({@link
 *       Outcome#NOTHING_NEW}); the loader calls again when it has loaded more.
 *   <li>This copy has reached {@code wanted}: take it ({@link Outcome#CLAIM}).
 *   <li>This copy is behind {@code wanted} but past {@code refreshed}: leave it to a node that has
 *       caught up ({@link Outcome#WAIT_FOR_CAUGHT_UP}), unless the funnels have been behind for a
 *       whole lease period and no refresh started in that period (every caught-up node is dead or
 *       busy): then take it and refresh up to what this copy has, leaving the rest wanted ({@link
 *       Outcome#CLAIM_PARTIAL}).
 * </ol>
 *
 * In every case the refresh records the position its copy had when it started, never {@code
 * wanted}: a cached result never claims events its copy had not loaded.
 */
public final class RefreshLeaseRule {
  private RefreshLeaseRule() {}

  /** What to do about one app. */
  public enum Outcome {
    UP_TO_DATE,
    HELD,
    NOTHING_NEW,
    WAIT_FOR_CAUGHT_UP,
    CLAIM,
    CLAIM_PARTIAL;

    public boolean claims() {
      return this == CLAIM || this == CLAIM_PARTIAL;
    }
  }

  /**
   * An app's row of the lease table, as read.
   *
   * @param leaseOwner null when free
   * @param wantedAtMs since when the saved funnels have been behind; null when unknown
   * @param leaseTakenAtMs when the latest refresh started; null if none ever did
   */
  public record State(
      long wanted,
      long refreshed,
      String leaseOwner,
      long leaseExpiresAtMs,
      Long wantedAtMs,
      Long leaseTakenAtMs) {}

  /**
   * @param me this process's lease owner name
   * @param copyPosition this node's DuckDB load position
   * @param leaseMillis the lease's lifetime, also how long a caught-up node is waited for
   */
  public static Outcome decide(
      State state, String me, long copyPosition, long nowMs, long leaseMillis) {
    if (state.wanted() <= state.refreshed()) {
      return Outcome.UP_TO_DATE;
    }
    if (state.leaseOwner() != null
        && !state.leaseOwner().equals(me)
        && state.leaseExpiresAtMs() > nowMs) {
      return Outcome.HELD;
    }
    if (copyPosition <= state.refreshed()) {
      return Outcome.NOTHING_NEW;
    }
    if (copyPosition >= state.wanted()) {
      return Outcome.CLAIM;
    }
    long waitedSince = nowMs - leaseMillis;
    boolean behindLong = state.wantedAtMs() == null || state.wantedAtMs() <= waitedSince;
    boolean noRecentRefresh =
        state.leaseTakenAtMs() == null || state.leaseTakenAtMs() <= waitedSince;
    return behindLong && noRecentRefresh ? Outcome.CLAIM_PARTIAL : Outcome.WAIT_FOR_CAUGHT_UP;
  }
}
