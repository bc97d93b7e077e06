package io.tracetics.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.Timer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.TcpProxy;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin port's /prometheus, /ready and /healthcheck on the whole app, whose MariaDB is reached
 * through a proxy the readiness test cuts.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminEndpointsIT {
  static final TcpProxy PROXY = TestServers.get().proxyToMariaDb();
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension("test-config.yml", Map.of("database.url", AdminEndpointsIT::proxiedUrl));

  /** One sample line of the text format: name, optional labels, a number. */
  private static final Pattern SAMPLE =
      Pattern.compile(
          "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$",
          Pattern.MULTILINE);

  static String proxiedUrl() {
    return TestServers.get().jdbcUrlThrough(PROXY);
  }

  @AfterAll
  static void closeProxy() {
    PROXY.close();
  }

  private static Http admin() {
    return new Http(APP.getAdminPort());
  }

  @Test
  void prometheusExposesEveryDropwizardMetricInTheTextFormat() throws Exception {
    Http api = new Http(APP.getLocalPort());
    Tenants.TenantApp tenant = Tenants.create(api);
    for (int i = 0; i < 3; i++) {
      Http.Response sent =
          api.post("/api/v1/events")
              .header("X-OL-Tenant-Key", tenant.tenantKey())
              .header("X-OL-App-Key", tenant.appKey())
              .json(Map.of("event_name", "signup", "user_identifier", "u" + i))
              .send();
      assertEquals(200, sent.status(), sent::toString);
    }

    // Metrics registered before the scrape (more appear lazily, e.g. a DAO method's first call).
    Map<String, Metric> registered = new TreeMap<>(APP.getEnvironment().metrics().getMetrics());
    Http.Response scrape = admin().get("/prometheus").send();
    assertEquals(200, scrape.status(), scrape::toString);
    assertTrue(
        scrape.header("Content-Type").startsWith("text/plain; version=0.0.4"),
        scrape.header("Content-Type"));
    String text = scrape.text();
    Files.writeString(Path.of("target", "prometheus-scrape.txt"), text); // for a look by people

    // Every line is a comment or a well-formed sample.
    for (String line : text.split("\n")) {
      assertTrue(
          line.startsWith("# HELP ")
              || line.startsWith("# TYPE ")
              || SAMPLE.matcher(line).matches(),
          "not Prometheus text: " + line);
    }
    Map<String, Double> samples = new java.util.HashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      samples.put(
          m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }

    // The ingest counter counts at least the three events above; a timer is a summary. (The JVM
    // gauges are registered by Application.run, which the test extension does not call:
    // OperationsProcessIT checks them on a real process.)
    assertTrue(
        Pattern.compile(
                "^# TYPE io_tracetics_ingest_events_accepted(_total)? counter$", Pattern.MULTILINE)
            .matcher(text)
            .find(),
        text);
    assertTrue(samples.get("io_tracetics_ingest_events_accepted_total") >= 3, samples::toString);
    assertTrue(text.contains("# TYPE io_tracetics_ingest_groupCommit_commit summary"), "a timer");

    // Every Dropwizard metric with a numeric value is there, under its sanitized name.
    Set<String> missing = new TreeSet<>();
    List<String> checked = new ArrayList<>();
    registered.forEach(
        (name, metric) -> {
          if (metric instanceof Gauge<?> gauge && !(gauge.getValue() instanceof Number)) {
            return; // text-valued gauges (jvm.attribute.vendor, ...) have no Prometheus form
          }
          String prometheusName =
              PrometheusNames.name(name, kind(metric)).replaceAll("[^a-zA-Z0-9_:]", "_");
          checked.add(prometheusName);
          if (!text.contains("# TYPE " + prometheusName + " ")
              && !text.contains("# TYPE " + prometheusName + "_total ")) {
            missing.add(name);
          }
        });
    assertTrue(checked.size() > 100, "the registry holds the app's metrics: " + checked.size());
    assertTrue(missing.isEmpty(), "missing from /prometheus: " + missing);
  }

  private static String kind(Metric metric) {
    if (metric instanceof Gauge<?>) {
      return "gauge";
    } else if (metric instanceof Counter) {
      return "counter";
    } else if (metric instanceof Histogram) {
      return "histogram";
    } else if (metric instanceof Meter) {
      return "meter";
    } else if (metric instanceof Timer) {
      return "timer";
    }
    throw new AssertionError("unknown metric kind: " + metric);
  }

  @Test
  void readyAndHealthcheckAnswer200WhenEverythingIsUp() {
    Http.Response ready = admin().get("/ready").send();
    assertEquals(200, ready.status(), ready::toString);
    assertTrue(ready.json().get("ready").asBoolean());
    assertTrue(ready.header("Content-Type").startsWith("application/json"));
    Http.Response health = admin().get("/healthcheck").send();
    assertEquals(200, health.status(), health::toString);
    assertTrue(health.json().get("mariadb").get("healthy").asBoolean(), health::toString);
  }

  @Test
  void readyIs503QuicklyWhileMariaDbIsUnreachableAndRecovers() throws Exception {
    assertEquals(200, admin().get("/ready").send().status());
    PROXY.cut();
    try {
      Http.Response down = null;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < deadline) {
        long started = System.nanoTime();
        down = admin().get("/ready").send();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 3_000, "/ready answers within its check timeout: " + tookMs + " ms");
        if (down.status() == 503) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals(503, down.status(), down::toString);
      assertEquals(503, down.json().get("code").asInt());
      assertEquals("not_ready", down.json().get("error").asText());
      assertEquals("database_unavailable", down.json().get("reason").asText());
      assertFalse(down.json().get("ready").asBoolean());
      assertFalse(down.text().contains("127.0.0.1"), "no internals: " + down.text());
      assertFalse(down.text().toLowerCase().contains("sql"), "no internals: " + down.text());
    } finally {
      PROXY.restore();
    }
    int status = 0;
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (status != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      status = admin().get("/ready").send().status();
    }
    assertEquals(200, status, "ready again once MariaDB answers");
  }
}
