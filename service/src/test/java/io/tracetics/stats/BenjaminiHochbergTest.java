package io.tracetics.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BenjaminiHochbergTest {

  /**
   * Benjamini and Hochberg, "Controlling the false discovery rate: a practical and powerful
   * approach to multiple testing", Journal of the Royal Statistical Society B 57(1), 1995, pp.
   * 289-300, section 4 (the example): the 15 p-values of Neuhaus et al. (1992). At q = 0.05 the
   * procedure rejects the four smallest (p(4) = 0.0095 <= 4 * 0.05 / 15, while no larger p(i) is at
   * most i * 0.05 / 15); Bonferroni's 0.05 / 15 rejects three. The adjusted p-values are the
   * procedure's min over j >= i of 15 p(j) / j (R's {@code p.adjust(p, "BH")} gives the same to
   * 1e-10).
   */
  private static final double[] NEUHAUS = {
    0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
    0.6528, 0.7590, 1.0000
  };

  private static final double[] NEUHAUS_ADJUSTED = {
    0.0015,
    0.003,
    0.0095,
    0.035625,
    0.0603,
    0.06385714286,
    0.06385714286,
    0.0645,
    0.0765,
    0.486,
    0.58118181818,
    0.714875,
    0.75323076923,
    0.81321428571,
    1.0
  };

  @Test
  void theWorkedExampleOfBenjaminiAndHochberg1995() {
    double[] adjusted = BenjaminiHochberg.adjust(NEUHAUS);
    assertArrayEquals(NEUHAUS_ADJUSTED, adjusted, 1e-10);
    assertEquals(4, Arrays.stream(adjusted).filter(p -> p <= 0.05).count());
    assertEquals(3, Arrays.stream(NEUHAUS).filter(p -> p <= 0.05 / 15).count());
  }

  @Test
  void theOrderGivenIsKept() {
    double[] shuffled = new double[NEUHAUS.length];
    double[] expected = new double[NEUHAUS.length];
    for (int i = 0; i < NEUHAUS.length; i++) {
      int from = (i * 7) % NEUHAUS.length;
      shuffled[i] = NEUHAUS[from];
      expected[i] = NEUHAUS_ADJUSTED[from];
    }
    assertArrayEquals(expected, BenjaminiHochberg.adjust(shuffled), 1e-10);
  }

  @Test
  void smallFamilies() {
    assertArrayEquals(new double[0], BenjaminiHochberg.adjust());
    assertArrayEquals(new double[] {0.03}, BenjaminiHochberg.adjust(0.03), 0);
    // Ties share their adjusted value; m p / rank never exceeds 1.
    assertArrayEquals(new double[] {0.04, 0.04}, BenjaminiHochberg.adjust(0.02, 0.04), 1e-15);
    assertArrayEquals(
        new double[] {0.03, 0.03, 0.03}, BenjaminiHochberg.adjust(0.03, 0.03, 0.03), 1e-15);
    assertArrayEquals(new double[] {1, 1}, BenjaminiHochberg.adjust(0.9, 1), 1e-15);
  }

  @Test
  void notAPValueIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BenjaminiHochberg.adjust(0.5, 1.5));
    assertThrows(IllegalArgumentException.class, () -> BenjaminiHochberg.adjust(Double.NaN));
  }
}
