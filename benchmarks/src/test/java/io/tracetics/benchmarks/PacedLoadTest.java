package io.tracetics.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The paced load generator keeps its schedule and counts every answer, whatever its framing. */
class PacedLoadTest {
  private HttpServer server;
  private final AtomicInteger received = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    // Every third answer is chunked, every tenth fails; the others carry a Content-Length.
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          int n = received.incrementAndGet();
          byte[] body = "{\"accepted\": 1}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(n % 10 == 0 ? 503 : 200, n % 3 == 0 ? 0 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void sendsAtTheScheduledRateAndCountsEveryAnswer() throws Exception {
    byte[] request =
        RawHttpClient.post("/api/v1/events", "t", "a", "{}".getBytes(StandardCharsets.UTF_8));
    PacedLoad.Outcome outcome = PacedLoad.run(server.getAddress().getPort(), request, 8, 400, 2);

    int answered = outcome.latencies().length + outcome.failed();
    assertEquals(received.get(), answered, "every request sent was answered and counted");
    // 400/s for 2 s from 8 connections: 800 sends, each connection stopping at the end.
    assertTrue(answered >= 790 && answered <= 800, "sent " + answered);
    assertEquals(answered / 10, outcome.failed());
    assertTrue(outcome.firstFailure().startsWith("503"), outcome.firstFailure());
    long[] latencies = outcome.latencies();
    for (int i = 1; i < latencies.length; i++) {
      assertTrue(latencies[i - 1] <= latencies[i], "sorted");
    }
    assertTrue(latencies[0] > 0);
  }
}
