package io.tracetics.benchmarks;

import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The funnel benchmark's data: 1M users, 20 event names (popularity ~ 1/(i+1)^0.8), user activity
 * skewed (user index = 1M * r^1.5), times uniform over 90 days, 20% of events with a small {@code
 * device} metadata object; optionally one user ({@code whale}) owning 1% of all events. Loaded
 * through the real {@link AnalyticsStore#load} in 500k-row batches.
 */
final class SyntheticEvents {
  static final int USERS = 1_000_000;
  static final int NAMES = 20;
  static final long DAYS = 90;
  private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private static final int BATCH = 500_000;

  private SyntheticEvents() {}

  /** Loads {@code size} rows into {@code appId}; the load's line (rows, time, rate). */
  static String load(AnalyticsStore store, long appId, long size, boolean skewed) {
    double[] cumulative = new double[NAMES];
    double sum = 0;
    for (int i = 0; i < NAMES; i++) {
      sum += 1.0 / Math.pow(i + 1, 0.8);
      cumulative[i] = sum;
    }
    String[] names = new String[NAMES];
    for (int i = 0; i < NAMES; i++) {
      names[i] = "n" + i;
      cumulative[i] /= sum;
    }
    String[] users = new String[USERS];
    for (int i = 0; i < USERS; i++) {
      users[i] = "u" + i;
    }
    String[] devices = {"{\"device\":\"ios\"}", "{\"device\":\"android\"}", "{\"device\":\"web\"}"};
    SplittableRandom random = new SplittableRandom(appId * 7919L);
    long span = DAYS * 86_400_000L;
    long idBase = appId * 1_000_000_000_000L;
    long t0 = System.nanoTime();
    long position = 0;
    for (long done = 0; done < size; done += BATCH) {
      int n = (int) Math.min(BATCH, size - done);
      List<EventRow> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String user =
            skewed && random.nextInt(100) == 0
                ? "whale"
                : users[(int) (USERS * Math.pow(random.nextDouble(), 1.5))];
        double r = random.nextDouble();
        int name = 0;
        while (cumulative[name] < r && name < NAMES - 1) {
          name++;
        }
        long t = START + (long) (random.nextDouble() * span);
        String md = random.nextInt(5) == 0 ? devices[random.nextInt(3)] : null;
        rows.add(new EventRow(idBase + done + i, appId, user, names[name], t, t + 500, md));
      }
      store.load("bench-" + appId, ++position, rows);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return String.format(
        Locale.ROOT,
        "%,d rows, app %d%s: %.1f s (%,.0f rows/s, generation included)",
        size,
        appId,
        skewed ? " (skewed)" : "",
        seconds,
        size / seconds);
  }
}
