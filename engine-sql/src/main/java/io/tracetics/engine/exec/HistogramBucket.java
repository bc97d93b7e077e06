package io.tracetics.engine.exec;

import java.util.OptionalDouble;

/** Users whose conversion took [fromSeconds, toSeconds) seconds; toSeconds empty = no upper end. */
public record HistogramBucket(double fromSeconds, OptionalDouble toSeconds, long users) {}
