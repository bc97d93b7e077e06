package io.tracetics.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and spread (smallest and largest) of repeated measurements. */
record Stats(double median, double min, double max, int runs) {

  static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no measurements");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /** The median, formatted with {@code format}. */
  String median(String format) {
    return String.format(Locale.ROOT, format, median);
  }

  /** The spread as {@code min - max}, each formatted with {@code format}. */
  String spread(String format) {
    return String.format(Locale.ROOT, format + " - " + format, min, max);
  }
}
