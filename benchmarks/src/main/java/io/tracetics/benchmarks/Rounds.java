package io.tracetics.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Measurements in rounds, each run only once the servers are idle: a row pairs every run of the
 * real load with floors measured just before (and after) it, and its ratios are per round, because
 * the floors drift by more than the targets' margins over the minutes a run takes.
 */
final class Rounds {
  /** One measured run. */
  interface Measurement {
    LoadResult measure() throws Exception;
  }

  /** Waits until the servers under test are idle. */
  interface Idle {
    void await() throws InterruptedException;
  }

  /** The median run, and the spread of the rates and of the p99s. */
  record Measured(LoadResult median, Stats rate, Stats p99) {}

  /**
   * A row measured in rounds: each round runs floor (a), the real load and, for batches, floor (b)
   * back to back; the ratios are per round (real over that round's floor), their median and spread.
   */
  record Paired(Measured real, Measured floor, Measured raw, Stats vsFloor, Stats vsRaw) {}

  private final int runs;
  private final Idle idle;

  Rounds(int runs, Idle idle) {
    this.runs = runs;
    this.idle = idle;
  }

  /** {@code runs} rounds of floor (a), the real load and floor (b) (when given), in that order. */
  Paired paired(Measurement floor, Measurement real, Measurement raw) throws Exception {
    List<LoadResult> floors = new ArrayList<>();
    List<LoadResult> reals = new ArrayList<>();
    List<LoadResult> raws = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      floors.add(idleThen(floor));
      reals.add(idleThen(real));
      if (raw != null) {
        raws.add(idleThen(raw));
      }
    }
    return paired(floors, reals, raw == null ? null : raws);
  }

  /**
   * One round of floor (a), floor (b) (when given) and the real load, in that order: the real one
   * last, so that the loader's catching up after it lowers no floor.
   */
  Paired once(Measurement floor, Measurement raw, Measurement real) throws Exception {
    LoadResult floorResult = idleThen(floor);
    LoadResult insert = raw == null ? null : idleThen(raw);
    LoadResult measured = idleThen(real);
    return paired(List.of(floorResult), List.of(measured), insert == null ? null : List.of(insert));
  }

  /**
   * Repeats a paced measurement and keeps the run with the median p99: paced runs all reach about
   * the same rate, so the median rate would pick a run by noise.
   */
  Measured medianP99(Measurement measurement) throws Exception {
    List<LoadResult> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      results.add(idleThen(measurement));
    }
    return measured(results, Comparator.comparingDouble(LoadResult::p99Ms));
  }

  private LoadResult idleThen(Measurement measurement) throws Exception {
    idle.await();
    return measurement.measure();
  }

  /**
   * Rounds measured, as a row: round i's ratios are reals[i] over its floors floors[i], raws[i].
   */
  private static Paired paired(
      List<LoadResult> floors, List<LoadResult> reals, List<LoadResult> raws) {
    List<Double> vsFloor = new ArrayList<>();
    List<Double> vsRaw = new ArrayList<>();
    for (int i = 0; i < reals.size(); i++) {
      double rate = reals.get(i).eventsPerSecond();
      vsFloor.add(rate / floors.get(i).eventsPerSecond());
      if (raws != null) {
        vsRaw.add(rate / raws.get(i).eventsPerSecond());
      }
    }
    Comparator<LoadResult> byRate = Comparator.comparingDouble(LoadResult::eventsPerSecond);
    return new Paired(
        measured(reals, byRate),
        measured(floors, byRate),
        raws == null ? null : measured(raws, byRate),
        Stats.of(vsFloor),
        raws == null ? null : Stats.of(vsRaw));
  }

  /** The run that is the median by {@code order}, with the spread of every run's rate and p99. */
  private static Measured measured(List<LoadResult> runs, Comparator<LoadResult> order) {
    List<LoadResult> results = new ArrayList<>(runs);
    results.sort(order);
    return new Measured(
        results.get(results.size() / 2),
        Stats.of(results.stream().map(LoadResult::eventsPerSecond).toList()),
        Stats.of(results.stream().map(LoadResult::p99Ms).toList()));
  }
}
