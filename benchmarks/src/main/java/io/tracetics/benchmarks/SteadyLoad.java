package io.tracetics.benchmarks;

import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.Tenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The freshness benchmark's steady load: events/s as paced batches over HTTP, sent asynchronously
 * (open loop), counted as sent, acknowledged and failed.
 */
final class SteadyLoad {
  final AtomicLong sent = new AtomicLong();
  final AtomicLong acknowledged = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  private final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);

  private final int rate;
  private final int batch;

  private SteadyLoad(int rate, int batch) {
    this.rate = rate;
    this.batch = batch;
  }

  /** {@code rate} events/s as paced batches of {@code batch}, until {@link #stop}. */
  static SteadyLoad start(ServiceProcess service, Tenants.TenantApp app, int rate, int batch) {
    SteadyLoad load = new SteadyLoad(rate, batch);
    load.schedule(service, app);
    return load;
  }

  private void schedule(ServiceProcess service, Tenants.TenantApp app) {
    HttpClient client =
        HttpClient.newBuilder()
            .executor(
                Executors.newFixedThreadPool(
                    8,
                    task -> {
                      Thread thread = new Thread(task, "load");
                      thread.setDaemon(true); // the JVM ends when the benchmark does
                      return thread;
                    }))
            .build();
    URI batchUri = URI.create("http://127.0.0.1:" + service.port() + "/api/v1/events/batch");
    long batchesPerSecond = Math.max(1, rate / batch);
    long periodMicros = 1_000_000L / batchesPerSecond;
    AtomicLong userCounter = new AtomicLong();
    pacer.scheduleAtFixedRate(
        () -> {
          StringBuilder json = new StringBuilder("{\"events\": [");
          for (int i = 0; i < batch; i++) {
            long user = userCounter.incrementAndGet() % 20_000;
            json.append(i == 0 ? "" : ",")
                .append("{\"event_name\": \"")
                .append(i % 3 == 0 ? "signup" : "visit")
                .append("\", \"user_identifier\": \"u")
                .append(user)
                .append("\", \"metadata\": {\"source\": \"bench\"}}");
          }
          json.append("]}");
          sent.addAndGet(batch);
          client
              .sendAsync(
                  HttpRequest.newBuilder(batchUri)
                      .header("X-OL-Tenant-Key", app.tenantKey())
                      .header("X-OL-App-Key", app.appKey())
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(json.toString()))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (response, error) -> {
                    if (error == null && response.statusCode() == 200) {
                      acknowledged.addAndGet(batch);
                    } else {
                      failed.incrementAndGet();
                    }
                  });
        },
        0,
        periodMicros,
        TimeUnit.MICROSECONDS);
  }

  void stop() {
    pacer.shutdownNow();
  }
}
