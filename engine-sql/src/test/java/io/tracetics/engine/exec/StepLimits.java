package io.tracetics.engine.exec;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.store.EventRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Per-step time limits for random cases, sized to bite: exactly a gap between two of the case's
 * event times (so a step that far after the previous one just converts), a millisecond either side
 * of one, or a whole number of seconds, never below the 1 s minimum nor above the window.
 */
public final class StepLimits {
  private StepLimits() {}

  /**
   * {@code q} with limits on some of its steps after the first (at least one), or {@code q} itself
   * when it is unordered (which has no limits) or {@code r} leaves it out (about half the time).
   */
  public static FunnelQuery give(FunnelQuery q, List<EventRow> rows, Random r) {
    if (q.order() == OrderMode.UNORDERED || r.nextBoolean()) {
      return q;
    }
    return always(q, rows, r);
  }

  /** {@code q} with limits on some of its steps after the first (at least one); not unordered. */
  public static FunnelQuery always(FunnelQuery q, List<EventRow> rows, Random r) {
    long window = q.window().toMillis();
    TreeSet<Long> times = new TreeSet<>();
    rows.forEach(row -> times.add(row.eventTimeMillis()));
    List<Long> gaps = new ArrayList<>();
    for (long a : times) {
      for (long b : times.tailSet(a, false)) {
        if (b - a >= 1000 && b - a <= window) {
          gaps.add(b - a);
        }
      }
    }
    List<FunnelStep> steps = new ArrayList<>(q.steps());
    int forced = 1 + r.nextInt(steps.size() - 1);
    for (int k = 1; k < steps.size(); k++) {
      if (k != forced && r.nextBoolean()) {
        continue;
      }
      long limit;
      int kind = r.nextInt(4);
      if (kind < 2 && !gaps.isEmpty()) {
        limit = gaps.get(r.nextInt(gaps.size())) + (kind == 0 ? 0 : r.nextBoolean() ? 1 : -1);
      } else {
        limit = 1000L * (1 + r.nextInt(4)) + (kind == 3 ? 1 : 0);
      }
      limit = Math.max(1000, Math.min(window, limit));
      steps.set(k, steps.get(k).within(Duration.ofMillis(limit)));
    }
    return q.toBuilder().steps(steps).build();
  }
}
