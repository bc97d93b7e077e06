package io.tracetics.benchmarks;

import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.Tenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The freshness probe: sequential single events, each for a new user, every {@code everyMs} until
 * {@code end}; the k-th acknowledgement time is {@code acks[k-1]}.
 */
final class FreshnessProbe {
  final List<Long> acks = Collections.synchronizedList(new ArrayList<>());
  final List<Double> roundTripsMs = Collections.synchronizedList(new ArrayList<>());
  private Thread thread;

  private final int everyMs;

  private FreshnessProbe(int everyMs) {
    this.everyMs = everyMs;
  }

  static FreshnessProbe start(
      ServiceProcess service, Tenants.TenantApp app, long end, int everyMs) {
    FreshnessProbe probe = new FreshnessProbe(everyMs);
    probe.thread = new Thread(() -> probe.send(service, app, end), "probe");
    probe.thread.start();
    return probe;
  }

  private void send(ServiceProcess service, Tenants.TenantApp app, long end) {
    URI singleUri = URI.create("http://127.0.0.1:" + service.port() + "/api/v1/events");
    HttpClient probeClient = HttpClient.newHttpClient();
    long n = 0;
    while (System.nanoTime() < end) {
      n++;
      try {
        long sentAt = System.nanoTime();
        HttpResponse<String> response =
            probeClient.send(
                HttpRequest.newBuilder(singleUri)
                    .header("X-OL-Tenant-Key", app.tenantKey())
                    .header("X-OL-App-Key", app.appKey())
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"event_name\": \"probe\", \"user_identifier\": \"probe-"
                                + n
                                + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          long ackedAt = System.nanoTime();
          acks.add(ackedAt);
          roundTripsMs.add((ackedAt - sentAt) / 1e6);
        }
        Thread.sleep(everyMs);
      } catch (Exception e) {
        throw new IllegalStateException("probe failed", e);
      }
    }
  }

  void join() throws InterruptedException {
    thread.join();
  }
}
