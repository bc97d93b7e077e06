package io.tracetics.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.junit.jupiter.api.Test;

class PrometheusNamesTest {
  @Test
  void reservedLastSegmentsGetTheirKindAppendedOthersStay() {
    assertEquals(
        "a.Resource.checkout.total_timer",
        PrometheusNames.name("a.Resource.checkout.total", "timer"));
    assertEquals("x.created_gauge", PrometheusNames.name("x.created", "gauge"));
    assertEquals("x.bucket_histogram", PrometheusNames.name("x.bucket", "histogram"));
    assertEquals("x.INFO_meter", PrometheusNames.name("x.INFO", "meter"));
    assertEquals("a.Resource.checkout", PrometheusNames.name("a.Resource.checkout", "timer"));
    assertEquals("jvm.memory.total.used", PrometheusNames.name("jvm.memory.total.used", "gauge"));
    assertEquals("x.subtotal", PrometheusNames.name("x.subtotal", "counter"));
  }

  @Test
  void theViewShowsEveryMetricOfTheRegistryUnderItsName() {
    MetricRegistry registry = new MetricRegistry();
    Timer method = registry.timer("a.Resource.checkout");
    Timer total = registry.timer("a.Resource.checkout.total");
    registry.counter("c");
    registry.meter("m.total");
    registry.histogram("h");
    registry.gauge("g", () -> () -> 1);

    PrometheusNames view = new PrometheusNames(registry);
    var timers = view.getTimers(MetricFilter.ALL);
    assertEquals(2, timers.size());
    assertSame(method, timers.get("a.Resource.checkout"));
    assertSame(total, timers.get("a.Resource.checkout.total_timer"));
    assertEquals(java.util.Set.of("m.total_meter"), view.getMeters(MetricFilter.ALL).keySet());
    assertEquals(java.util.Set.of("c"), view.getCounters(MetricFilter.ALL).keySet());
    assertEquals(java.util.Set.of("h"), view.getHistograms(MetricFilter.ALL).keySet());
    assertEquals(java.util.Set.of("g"), view.getGauges(MetricFilter.ALL).keySet());
  }
}
