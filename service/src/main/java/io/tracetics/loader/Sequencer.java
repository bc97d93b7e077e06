package io.tracetics.loader;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Gives committed ingest batches their commit epoch — the rule that makes loading exactly once.
 *
 * <p>Auto-increment ids become visible out of order when transactions overlap, so "everything up to
 * the highest id seen" is not a safe load position. Instead, each sequencer transaction locks the
 * {@code pipeline_sequence} row, takes the batches that are committed and still have no epoch
 * ({@code seq IS NULL}; a batch still in flight is invisible to it and gets a later epoch once it
 * commits), stamps them with {@code last_seq + 1} and commits. Sequencer transactions are
 * serialised by that row lock, so epochs become visible strictly in order and never change
 * afterwards: once epoch N is visible, the set of events in epochs 1..N is complete and immutable.
 * A loader whose position is N has loaded exactly those events; it never skips one still in flight
 * (that one is in a later epoch) and never loads one twice (the store also de-duplicates by event
 * id).
 */
public class Sequencer {
  private static final int SCAN_LIMIT = 2_000;

  private final Jdbi jdbi;
  private final int maxEventsPerEpoch;
  private final LongSupplier clock;

  public Sequencer(Jdbi jdbi, int maxEventsPerEpoch, LongSupplier clock) {
    this.jdbi = jdbi;
    this.maxEventsPerEpoch = maxEventsPerEpoch;
    this.clock = clock;
  }

  /**
   * Assigns at most {@code maxEpochs} new epochs and returns the newest epoch number (whether or
   * not this call created any). Goes on to another epoch only while the last one was full (the
   * backlog did not fit): batches that commit meanwhile wait for the next call instead of making an
   * epoch of a few events each, which the loader would pay a whole load for.
   */
  public long sequence(int maxEpochs) {
    long last = -1;
    for (int i = 0; i < maxEpochs; i++) {
      EpochResult result = sequenceOne();
      last = result.lastSeq();
      if (!result.full()) {
        break;
      }
    }
    return last;
  }

  private EpochResult sequenceOne() {
    return jdbi.inTransaction(
        TransactionIsolationLevel.READ_COMMITTED,
        handle -> {
          LoaderDao dao = handle.attach(LoaderDao.class);
          long lastSeq = dao.lockLastSeq();
          List<LoaderDao.UnsequencedBatch> candidates = dao.unsequenced(SCAN_LIMIT);
          if (candidates.isEmpty()) {
            return new EpochResult(lastSeq, false);
          }
          List<Long> ids = new ArrayList<>();
          long events = 0;
          for (LoaderDao.UnsequencedBatch batch : candidates) {
            if (!ids.isEmpty() && events + batch.eventCount() > maxEventsPerEpoch) {
              break;
            }
            ids.add(batch.id());
            events += batch.eventCount();
          }
          long seq = lastSeq + 1;
          int stamped = dao.assignEpoch(seq, clock.getAsLong(), ids);
          if (stamped == 0) {
            return new EpochResult(lastSeq, false);
          }
          dao.setLastSeq(seq);
          // Full: it left batches behind, by its event cap or by the scan limit.
          return new EpochResult(seq, ids.size() < candidates.size() || ids.size() == SCAN_LIMIT);
        });
  }

  /** The newest epoch, and whether the one just made was full (more batches may be waiting). */
  private record EpochResult(long lastSeq, boolean full) {}
}
