package io.tracetics.engine.exec;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Time from the previous step to this one, over the users who reached this step (measured on each
 * user's chosen attempt). Median and p90 interpolate linearly between the closest ranks
 * (quantile_cont). Empty for step 1 and when no user reached the step.
 */
public record TimeToConvert(
    OptionalDouble medianSeconds,
    OptionalDouble p90Seconds,
    OptionalDouble meanSeconds,
    List<HistogramBucket> histogram) {

  public TimeToConvert {
    histogram = List.copyOf(histogram);
  }
}
