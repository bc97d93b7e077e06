package io.tracetics.stats;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The Benjamini-Hochberg (1995) step-up adjustment of a family of p-values, which controls the
 * false discovery rate: with the p-values sorted ascending, p(i) becomes min over j >= i of m p(j)
 * / j, at most 1 (what R's {@code p.adjust(p, "BH")} returns). A hypothesis is rejected at false
 * discovery rate q when its adjusted p-value is at most q. Pure and deterministic.
 */
public final class BenjaminiHochberg {
  private BenjaminiHochberg() {}

  /**
   * The adjusted p-values, in the order given.
   *
   * @throws IllegalArgumentException when a p-value is not in [0, 1]
   */
  public static double[] adjust(double... pValues) {
    int m = pValues.length;
    for (double p : pValues) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("a p-value is between 0 and 1: " + p);
      }
    }
    Integer[] order =
        IntStream.range(0, m)
            .boxed()
            .sorted(Comparator.comparingDouble(i -> pValues[i]))
            .toArray(Integer[]::new);
    double[] adjusted = new double[m];
    double running = 1;
    for (int rank = m; rank >= 1; rank--) {
      int index = order[rank - 1];
      running = Math.min(running, pValues[index] * m / rank);
      adjusted[index] = running;
    }
    return adjusted;
  }
}
