package io.tracetics.engine.store;

/**
 * Runs inside each load's transaction, once all of its work is done and right before it commits.
 * Throwing from it rolls the load back: nothing of the load stays visible and the exception reaches
 * the caller of {@link AnalyticsStore#load}. Given to {@link AnalyticsStore#open(StoreConfig,
 * LoadCommitHook)}; tests use it to fail a load at its last moment.
 */
@FunctionalInterface
public interface LoadCommitHook {
  /** The hook that does nothing, used by {@link AnalyticsStore#open(StoreConfig)}. */
  LoadCommitHook NONE = (loadStream, position) -> {};

  /**
   * Called under the store's load lock, on the loading thread.
   *
   * @param loadStream the stream being loaded
   * @param position the stream's position once the load commits (never lower than before)
   */
  void beforeCommit(String loadStream, long position);
}
