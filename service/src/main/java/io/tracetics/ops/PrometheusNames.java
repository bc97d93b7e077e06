package io.tracetics.ops;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The application's metric registry as the Prometheus bridge reads it, with one renaming: a name
 * whose last segment is a suffix Prometheus reserves ({@code total}, {@code created}, {@code
 * bucket}, {@code info}) gets its kind appended, e.g. Jersey's {@code ...Resource.checkout.total}
 * timer becomes {@code ...Resource.checkout.total_timer}. The bridge would strip such a suffix and
 * the result would clash with another metric ({@code ...Resource.checkout}), failing every scrape.
 * Read-only: nothing registers here.
 */
final class PrometheusNames extends MetricRegistry {
  private static final String[] RESERVED = {".total", ".created", ".bucket", ".info"};

  private final MetricRegistry source;

  PrometheusNames(MetricRegistry source) {
    this.source = source;
  }

  /** The name under which {@code /prometheus} shows a Dropwizard metric (before sanitizing). */
  static String name(String dropwizardName, String kind) {
    String lower = dropwizardName.toLowerCase(Locale.ROOT);
    for (String suffix : RESERVED) {
      if (lower.endsWith(suffix)) {
        return dropwizardName + "_" + kind;
      }
    }
    return dropwizardName;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public SortedMap<String, Gauge> getGauges(MetricFilter filter) {
    return renamed(source.getGauges(filter), "gauge");
  }

  @Override
  public SortedMap<String, Counter> getCounters(MetricFilter filter) {
    return renamed(source.getCounters(filter), "counter");
  }

  @Override
  public SortedMap<String, Histogram> getHistograms(MetricFilter filter) {
    return renamed(source.getHistograms(filter), "histogram");
  }

  @Override
  public SortedMap<String, Meter> getMeters(MetricFilter filter) {
    return renamed(source.getMeters(filter), "meter");
  }

  @Override
  public SortedMap<String, Timer> getTimers(MetricFilter filter) {
    return renamed(source.getTimers(filter), "timer");
  }

  private static <T> SortedMap<String, T> renamed(Map<String, T> metrics, String kind) {
    SortedMap<String, T> result = new TreeMap<>();
    metrics.forEach((name, metric) -> result.put(name(name, kind), metric));
    return result;
  }
}
