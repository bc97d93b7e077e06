package io.tracetics.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Timed runs of the funnel benchmark's cases: a floor and a candidate in rounds, each round the
 * floor right before the candidate, so that both see the machine in the same state (it drifts:
 * measured minutes apart they would not compare); or one piece of work alone. One warm-up first.
 */
final class TimedRounds {
  /** A timed piece of work. */
  interface Work {
    void run() throws Exception;
  }

  private final int runs;

  TimedRounds(int runs) {
    this.runs = runs;
  }

  /** Times of a candidate and of the floor run just before it, and the per-round ratios. */
  record Paired(Stats funnel, Stats floor, Stats ratio) {}

  /** One warm-up of each, then {@code runs} rounds of the floor followed by the candidate. */
  Paired paired(Work floor, Work work) throws Exception {
    floor.run();
    work.run();
    List<Double> f = new ArrayList<>();
    List<Double> w = new ArrayList<>();
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      floor.run();
      long t1 = System.nanoTime();
      work.run();
      long t2 = System.nanoTime();
      f.add((t1 - t0) / 1e9);
      w.add((t2 - t1) / 1e9);
      r.add(w.get(i) / f.get(i));
    }
    return new Paired(Stats.of(w), Stats.of(f), Stats.of(r));
  }

  /** Wall times of {@code runs} runs after one warm-up. */
  Stats time(Work work) throws Exception {
    work.run();
    List<Double> t = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      work.run();
      t.add((System.nanoTime() - s) / 1e9);
    }
    return Stats.of(t);
  }
}
