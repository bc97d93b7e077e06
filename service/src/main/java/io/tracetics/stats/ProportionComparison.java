package io.tracetics.stats;

import java.util.Locale;
import java.util.OptionalDouble;
import org.apache.commons.statistics.distribution.HypergeometricDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Whether two observed proportions (successes out of totals in two independent samples) differ,
 * two-sided, on their 2x2 table (success / failure x sample A / sample B). The test is chosen from
 * the table: no test when either sample has fewer than {@link #MIN_SAMPLE} members, Fisher's exact
 * test when an expected cell count under independence is below {@link #MIN_EXPECTED}, else the
 * pooled two-proportion z-test. Pure and deterministic.
 */
public final class ProportionComparison {
  /** Samples smaller than this are not tested. */
  public static final long MIN_SAMPLE = 30;

  /** Below this expected count in any cell the normal approximation is not trusted. */
  public static final double MIN_EXPECTED = 5;

  /** R's relative tolerance for tables as probable as the observed one. */
  private static final double TIE_TOLERANCE = 1e-7;

  private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

  private ProportionComparison() {}

  /** How a p-value was obtained. */
  public enum Method {
    Z_TEST,
    FISHER_EXACT,
    INSUFFICIENT_SAMPLE;

    /**
     * The name in API answers: {@code z_test}, {@code fisher_exact}, {@code insufficient_sample}.
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The test chosen and its two-sided p-value (empty for {@link Method#INSUFFICIENT_SAMPLE}). */
  public record Result(Method method, OptionalDouble pValue) {}

  /**
   * Tests "the proportions {@code successesA / totalA} and {@code successesB / totalB} are equal".
   *
   * @throws IllegalArgumentException when a count is negative or successes exceed their total
   */
  public static Result compare(long successesA, long totalA, long successesB, long totalB) {
    check(successesA, totalA);
    check(successesB, totalB);
    if (totalA < MIN_SAMPLE || totalB < MIN_SAMPLE) {
      return new Result(Method.INSUFFICIENT_SAMPLE, OptionalDouble.empty());
    }
    if (minExpected(successesA, totalA, successesB, totalB) < MIN_EXPECTED
        && fitsInt(totalA, totalB)) {
      return new Result(
          Method.FISHER_EXACT,
          OptionalDouble.of(fisherExact(successesA, totalA, successesB, totalB)));
    }
    return new Result(
        Method.Z_TEST, OptionalDouble.of(zTest(successesA, totalA, successesB, totalB)));
  }

  /**
   * The smallest expected cell count of the table under independence: a column total (a sample's
   * size) times a row total (successes or failures of both) over the grand total, smallest of each.
   */
  static double minExpected(long successesA, long totalA, long successesB, long totalB) {
    long total = totalA + totalB;
    if (total == 0) {
      return 0;
    }
    long successes = successesA + successesB;
    long rarer = Math.min(successes, total - successes);
    return (double) Math.min(totalA, totalB) * rarer / total;
  }

  /**
   * The pooled two-proportion z-test's two-sided p-value: z = (pA - pB) / sqrt(p (1 - p) (1/nA +
   * 1/nB)) with p the pooled proportion, p-value = 2 P(Z >= |z|). Equal proportions (including a
   * table whose pooled proportion is 0 or 1, where z is 0/0) give 1.
   */
  public static double zTest(long successesA, long totalA, long successesB, long totalB) {
    check(successesA, totalA);
    check(successesB, totalB);
    if (totalA == 0 || totalB == 0) {
      throw new IllegalArgumentException("a z-test needs two non-empty samples");
    }
    double pA = (double) successesA / totalA;
    double pB = (double) successesB / totalB;
    double pooled = (double) (successesA + successesB) / (totalA + totalB);
    double variance = pooled * (1 - pooled) * (1.0 / totalA + 1.0 / totalB);
    if (variance == 0) {
      return 1;
    }
    double z = (pA - pB) / Math.sqrt(variance);
    return Math.min(1, 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z)));
  }

  /**
   * Fisher's exact test's two-sided p-value: with both margins of the table fixed, the probability
   * of the tables no more probable than the one observed, as R's {@code fisher.test} computes it (a
   * table counts when its probability is at most the observed one's times 1 + 1e-7, so tables
   * exactly as probable count whatever the rounding; Commons Statistics' own {@code
   * FisherExactTest} compares the rounded values and can leave such a tie out).
   */
  public static double fisherExact(long successesA, long totalA, long successesB, long totalB) {
    check(successesA, totalA);
    check(successesB, totalB);
    if (!fitsInt(totalA, totalB)) {
      throw new IllegalArgumentException("Fisher's exact test takes tables below 2^31 in all");
    }
    int total = (int) (totalA + totalB);
    if (total == 0) {
      // The empty table is the only one with its margins: probability 1.
      return 1;
    }
    int successes = (int) (successesA + successesB);
    // Successes of A given the margins: hypergeometric, drawing totalA of all with all successes.
    HypergeometricDistribution table =
        HypergeometricDistribution.of(total, successes, (int) totalA);
    double limit = table.logProbability((int) successesA) + Math.log1p(TIE_TOLERANCE);
    double sum = 0;
    for (int x = table.getSupportLowerBound(); x <= table.getSupportUpperBound(); x++) {
      double logP = table.logProbability(x);
      if (logP <= limit) {
        sum += Math.exp(logP);
      }
    }
    return Math.min(1, sum);
  }

  /** The exact test's hypergeometric sums take int counts; far larger tables use z. */
  private static boolean fitsInt(long totalA, long totalB) {
    return totalA + totalB <= Integer.MAX_VALUE;
  }

  private static void check(long successes, long total) {
    if (successes < 0 || total < 0 || successes > total) {
      throw new IllegalArgumentException(
          "successes must be between 0 and the total: " + successes + " of " + total);
    }
  }
}
