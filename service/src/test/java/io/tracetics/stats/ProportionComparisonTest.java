package io.tracetics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.stats.ProportionComparison.Method;
import io.tracetics.stats.ProportionComparison.Result;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

class ProportionComparisonTest {

  /**
   * Agresti, Franklin and Klingenberg, "Statistics: The Art and Science of Learning from Data", 5th
   * ed. (Pearson, 2021), chapter 10, example 5 (TV watching and aggressive acts): 5 of 88 against
   * 154 of 619, pooled two-proportion z-test, two-sided P-value 5.439141e-05 (the book's R
   * companion prints {@code 2 * pnorm(z)} = 5.439141e-05 and {@code prop.test(..., correct =
   * FALSE)} X-squared = 16.289, p-value = 5.439e-05).
   */
  @Test
  void zTestMatchesAgrestiFranklinKlingenbergChapter10Example5() {
    assertEquals(5.439141e-05, ProportionComparison.zTest(5, 88, 154, 619), 5e-12);
    assertEquals(5.439141e-05, ProportionComparison.zTest(154, 619, 5, 88), 5e-12);
    // Its smallest expected cell is 88 * 159 / 707 = 19.8: the z-test is the one chosen.
    Result chosen = ProportionComparison.compare(5, 88, 154, 619);
    assertEquals(Method.Z_TEST, chosen.method());
    assertEquals(5.439141e-05, chosen.pValue().getAsDouble(), 5e-12);
  }

  /**
   * Fisher's lady tasting tea (R. A. Fisher, "The Design of Experiments", 1935, chapter II): 3 of
   * the 4 cups with milk first guessed right, 1 of the 4 others guessed as milk first. Agresti,
   * Franklin and Klingenberg (5th ed., 2021), chapter 11, example 10: two-sided P-value 0.4857
   * ({@code fisher.test}); exactly 34/70 (the tables with 3 or 4 right and with 0 or 1 right).
   */
  @Test
  void fisherExactMatchesTheLadyTastingTea() {
    assertEquals(34.0 / 70, ProportionComparison.fisherExact(3, 4, 1, 4), 1e-12);
    assertEquals(0.4857, ProportionComparison.fisherExact(3, 4, 1, 4), 5e-5);
    // Four cups a side is far too few to test in a report.
    Result chosen = ProportionComparison.compare(3, 4, 1, 4);
    assertEquals(Method.INSUFFICIENT_SAMPLE, chosen.method());
    assertTrue(chosen.pValue().isEmpty());
  }

  /**
   * The criminal convictions of like-sex twins of criminals (Lange's data as in R. A. Fisher,
   * "Confidence limits for a cross-product ratio", Australian Journal of Statistics 4, 1962; the
   * example of R's {@code fisher.test} help page): 2 of 17 dizygotic and 10 of 13 monozygotic twins
   * convicted. R 4.2's {@code fisher.test} gives the two-sided p-value 0.000536724119 (and the help
   * page's one-sided "less" 0.0004652, which is the same table's lower tail).
   */
  @Test
  void fisherExactMatchesTheConvictionsOfTwins() {
    assertEquals(0.000536724119143, ProportionComparison.fisherExact(2, 17, 10, 13), 1e-12);
    assertEquals(
        exactTwoSided(2, 17, 10, 13), ProportionComparison.fisherExact(2, 17, 10, 13), 1e-12);
  }

  @Test
  void fisherIsChosenWhenAnExpectedCellIsBelowFive() {
    // 1 of 40 against 8 of 40: the expected successes per sample are 40 * 9 / 80 = 4.5.
    assertEquals(4.5, ProportionComparison.minExpected(1, 40, 8, 40), 1e-12);
    Result chosen = ProportionComparison.compare(1, 40, 8, 40);
    assertEquals(Method.FISHER_EXACT, chosen.method());
    assertEquals(exactTwoSided(1, 40, 8, 40), chosen.pValue().getAsDouble(), 1e-12);
    // One more success each and every expected cell is at least 5: the z-test.
    assertEquals(5.5, ProportionComparison.minExpected(2, 40, 9, 40), 1e-12);
    assertEquals(Method.Z_TEST, ProportionComparison.compare(2, 40, 9, 40).method());
    // Failures count as much as successes: 39 and 32 of 40 are the same table turned over.
    assertEquals(Method.FISHER_EXACT, ProportionComparison.compare(39, 40, 32, 40).method());
    assertEquals(
        chosen.pValue().getAsDouble(),
        ProportionComparison.compare(39, 40, 32, 40).pValue().getAsDouble(),
        1e-12);
  }

  @Test
  void fewerThanThirtyInEitherSampleIsNotTested() {
    assertEquals(
        Method.INSUFFICIENT_SAMPLE, ProportionComparison.compare(10, 29, 300, 1000).method());
    assertEquals(
        Method.INSUFFICIENT_SAMPLE, ProportionComparison.compare(300, 1000, 0, 0).method());
    assertFalse(ProportionComparison.compare(10, 30, 300, 1000).pValue().isEmpty());
    assertEquals(Method.Z_TEST, ProportionComparison.compare(10, 30, 300, 1000).method());
  }

  @Test
  void noSuccessesOrOnlySuccessesInBothIsNoDifference() {
    Result none = ProportionComparison.compare(0, 50, 0, 60);
    assertEquals(Method.FISHER_EXACT, none.method());
    assertEquals(1.0, none.pValue().getAsDouble(), 1e-12);
    Result all = ProportionComparison.compare(50, 50, 60, 60);
    assertEquals(Method.FISHER_EXACT, all.method());
    assertEquals(1.0, all.pValue().getAsDouble(), 1e-12);
    // The z-test's 0/0 is no difference too.
    assertEquals(1.0, ProportionComparison.zTest(0, 50, 0, 60));
    assertEquals(1.0, ProportionComparison.zTest(50, 50, 60, 60));
  }

  @Test
  void noSuccessesOnOneSide() {
    // 0 of 100 against 10 of 100: expected successes 5 each, so the z-test; Fisher agrees roughly.
    Result z = ProportionComparison.compare(0, 100, 10, 100);
    assertEquals(Method.Z_TEST, z.method());
    assertTrue(z.pValue().getAsDouble() < 0.01, z::toString);
    // 0 of 100 against 8 of 100: expected 4, Fisher, exactly as the hypergeometric sums say.
    Result exact = ProportionComparison.compare(0, 100, 8, 100);
    assertEquals(Method.FISHER_EXACT, exact.method());
    assertEquals(exactTwoSided(0, 100, 8, 100), exact.pValue().getAsDouble(), 1e-12);
    assertTrue(exact.pValue().getAsDouble() < 0.01, exact::toString);
  }

  @Test
  void identicalPeriodsHavePValueOne() {
    assertEquals(1.0, ProportionComparison.compare(40, 100, 40, 100).pValue().getAsDouble());
    assertEquals(Method.Z_TEST, ProportionComparison.compare(40, 100, 40, 100).method());
    assertEquals(1.0, ProportionComparison.compare(2, 30, 2, 30).pValue().getAsDouble(), 1e-12);
    assertEquals(Method.FISHER_EXACT, ProportionComparison.compare(2, 30, 2, 30).method());
    // The same proportion in samples of different sizes is no difference either.
    assertEquals(1.0, ProportionComparison.compare(20, 50, 40, 100).pValue().getAsDouble());
  }

  @Test
  void tinyTables() {
    assertEquals(1.0, ProportionComparison.fisherExact(0, 1, 1, 1), 1e-12);
    assertEquals(1.0, ProportionComparison.fisherExact(0, 0, 0, 1), 1e-12);
    assertEquals(exactTwoSided(2, 3, 0, 3), ProportionComparison.fisherExact(2, 3, 0, 3), 1e-12);
    assertEquals(0.4, ProportionComparison.fisherExact(2, 3, 0, 3), 1e-12);
    // 0 of 2 against 2 of 5: the tables with 0 and 1 successes in A are equally probable (10/21
    // each), so all three count and p = 1, as R's fisher.test says (not 11/21).
    assertEquals(1.0, ProportionComparison.fisherExact(0, 2, 2, 5), 1e-12);
  }

  /** The square of the pooled z is Pearson's X^2 of the 2x2 table: the same p-value. */
  @Test
  void zTestAgreesWithPearsonsChiSquareOnManyTables() {
    ChiSquareTest pearson = ChiSquareTest.withDefaults();
    for (long nA = 30; nA <= 330; nA += 60) {
      for (long nB = 30; nB <= 330; nB += 75) {
        for (long a = 1; a < nA; a += 7) {
          for (long b = 1; b < nB; b += 11) {
            double expected = pearson.test(new long[][] {{a, b}, {nA - a, nB - b}}).getPValue();
            assertEquals(
                expected,
                ProportionComparison.zTest(a, nA, b, nB),
                1e-9 * Math.max(1e-3, expected),
                a + "/" + nA + " vs " + b + "/" + nB);
          }
        }
      }
    }
  }

  /** Fisher's test against the hypergeometric sums in exact arithmetic on every small table. */
  @Test
  void fisherExactAgreesWithExactArithmeticOnSmallTables() {
    for (int nA = 0; nA <= 12; nA++) {
      for (int nB = 0; nB <= 12; nB++) {
        for (int a = 0; a <= nA; a++) {
          for (int b = 0; b <= nB; b++) {
            assertEquals(
                exactTwoSided(a, nA, b, nB),
                ProportionComparison.fisherExact(a, nA, b, nB),
                1e-9,
                a + "/" + nA + " vs " + b + "/" + nB);
          }
        }
      }
    }
  }

  @Test
  void impossibleCountsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ProportionComparison.compare(31, 30, 1, 30));
    assertThrows(IllegalArgumentException.class, () -> ProportionComparison.compare(-1, 30, 1, 30));
    assertThrows(IllegalArgumentException.class, () -> ProportionComparison.zTest(0, 0, 1, 30));
  }

  /**
   * The two-sided exact p-value by its definition, in exact arithmetic: with the margins of the
   * table fixed, the sum of the hypergeometric probabilities of the tables no more probable than
   * the observed one (with R's relative tolerance of 1e-7 for ties).
   */
  private static double exactTwoSided(long a, long nA, long b, long nB) {
    long successes = a + b;
    BigInteger all = choose(nA + nB, successes);
    BigInteger observed = choose(nA, a).multiply(choose(nB, b));
    BigDecimal limit = new BigDecimal(observed).multiply(new BigDecimal("1.0000001"));
    BigInteger sum = BigInteger.ZERO;
    for (long x = Math.max(0, successes - nB); x <= Math.min(nA, successes); x++) {
      BigInteger ways = choose(nA, x).multiply(choose(nB, successes - x));
      if (new BigDecimal(ways).compareTo(limit) <= 0) {
        sum = sum.add(ways);
      }
    }
    return new BigDecimal(sum).divide(new BigDecimal(all), MathContext.DECIMAL64).doubleValue();
  }

  private static BigInteger choose(long n, long k) {
    BigInteger result = BigInteger.ONE;
    for (long i = 1; i <= k; i++) {
      result = result.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
    }
    return result;
  }
}
