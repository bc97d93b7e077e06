package io.tracetics.benchmarks;

import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The funnel benchmark's data: 1M users, 20 event names (popularity ~ 1/(i+1)^0.8), user activity
 * skewed (user index = 1M * r^1.5), times uniform over 90 days, 20% of events with a small {@code
 * device} metadata object; optionally one user ({@code whale}) owning 1% of all events, or
 * anonymous ids: 30% of users have 1-3 of them, used for their events before a link time, and
 * linked to the user afterwards, or an account id in every event's metadata. Loaded through the
 * real {@link AnalyticsStore#load} in 500k-row batches, the links in loads of 100k.
 */
final class SyntheticEvents {
  static final int USERS = 1_000_000;
  static final int NAMES = 20;
  static final long DAYS = 90;
  private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private static final int BATCH = 500_000;
  private static final int LINK_BATCH = 100_000;

  /** What sets an app apart from the plain shape. */
  enum Shape {
    PLAIN,
    /** One user owns 1% of all events. */
    SKEWED,
    /** 30% of users have 1-3 anonymous ids, linked to them after their events are loaded. */
    IDENTITIES,
    /**
     * Every event names its user's account in metadata ({@code "account": "c<u / 10>"}: 100,000
     * accounts of 10 users each), for funnels that count accounts.
     */
    ACCOUNTS
  }

  private SyntheticEvents() {}

  /** Loads {@code size} rows into {@code appId}; the load's line (rows, time, rate). */
  static String load(AnalyticsStore store, long appId, long size, Shape shape) {
    boolean skewed = shape == Shape.SKEWED;
    boolean identities = shape == Shape.IDENTITIES;
    boolean accounts = shape == Shape.ACCOUNTS;
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
    // Per user: how many anonymous ids (0 for 70%), and when the user signs in.
    byte[] anonymous = new byte[identities ? USERS : 0];
    long[] linkAt = new long[identities ? USERS : 0];
    for (int i = 0; i < anonymous.length; i++) {
      if (random.nextInt(10) < 3) {
        anonymous[i] = (byte) (1 + random.nextInt(3));
        linkAt[i] = START + (long) (random.nextDouble() * span);
      }
    }
    long idBase = appId * 1_000_000_000_000L;
    long t0 = System.nanoTime();
    long position = 0;
    for (long done = 0; done < size; done += BATCH) {
      int n = (int) Math.min(BATCH, size - done);
      List<EventRow> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int u = (int) (USERS * Math.pow(random.nextDouble(), 1.5));
        String user = skewed && random.nextInt(100) == 0 ? "whale" : users[u];
        double r = random.nextDouble();
        int name = 0;
        while (cumulative[name] < r && name < NAMES - 1) {
          name++;
        }
        long t = START + (long) (random.nextDouble() * span);
        if (identities && anonymous[u] > 0 && t < linkAt[u]) {
          user = "a" + u + "_" + random.nextInt(anonymous[u]);
        }
        String md = random.nextInt(5) == 0 ? devices[random.nextInt(3)] : null;
        if (accounts) {
          String account = "\"account\":\"c" + (u / 10) + "\"";
          md = md == null ? "{" + account + "}" : "{" + account + "," + md.substring(1);
        }
        rows.add(new EventRow(idBase + done + i, appId, user, names[name], t, t + 500, md));
      }
      store.load("bench-" + appId, ++position, rows);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String line =
        String.format(
            Locale.ROOT,
            "%,d rows, app %d%s: %.1f s (%,.0f rows/s, generation included)",
            size,
            appId,
            skewed
                ? " (skewed)"
                : identities ? " (anonymous ids)" : accounts ? " (accounts in metadata)" : "",
            seconds,
            size / seconds);
    if (!identities) {
      return line;
    }
    long l0 = System.nanoTime();
    List<IdentityLink> links = new ArrayList<>();
    long linked = 0;
    long merged = 0;
    for (int u = 0; u < USERS; u++) {
      for (int j = 0; j < anonymous[u]; j++) {
        links.add(new IdentityLink(appId, "a" + u + "_" + j, users[u]));
        if (links.size() == LINK_BATCH) {
          merged += store.load("bench-" + appId, ++position, List.of(), links, r -> {}).merged();
          linked += links.size();
          links.clear();
        }
      }
    }
    if (!links.isEmpty()) {
      merged += store.load("bench-" + appId, ++position, List.of(), links, r -> {}).merged();
      linked += links.size();
    }
    double linkSeconds = (System.nanoTime() - l0) / 1e9;
    return line
        + String.format(
            Locale.ROOT,
            "; then %,d identity links in loads of %,d (%,d merges): %.1f s (%.0f ms per load)",
            linked,
            LINK_BATCH,
            merged,
            linkSeconds,
            1000 * linkSeconds / Math.max(1, (linked + LINK_BATCH - 1) / LINK_BATCH));
  }
}
