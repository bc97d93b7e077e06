package io.tracetics.ops;

import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /prometheus} on the admin port: every metric of the application's Dropwizard registry
 * (ingest, queue, loader, refresh, Jersey, Jetty, JVM) in the Prometheus text format, through the
 * Prometheus Java client's Dropwizard bridge. Names are the Dropwizard names with every character
 * outside {@code [a-zA-Z0-9_:]} replaced by {@code _} (counters and meters end in {@code _total});
 * see {@link PrometheusNames} for the one renaming.
 */
public final class PrometheusEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);

  private PrometheusEndpoint() {}

  public static void register(Environment environment) {
    PrometheusRegistry registry = new PrometheusRegistry();
    DropwizardExports.builder()
        .dropwizardRegistry(new PrometheusNames(environment.metrics()))
        // One gauge that throws leaves that gauge out, not the whole scrape.
        .invalidMetricHandler(
            (name, e) -> {
              LOG.debug("Metric {} left out of /prometheus: {}", name, e.toString());
              return true;
            })
        .register(registry);
    environment
        .admin()
        .addServlet("prometheus", new PrometheusMetricsServlet(registry))
        .addMapping("/prometheus");
  }
}
