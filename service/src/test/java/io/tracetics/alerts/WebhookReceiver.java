package io.tracetics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on 127.0.0.1 (ephemeral port): records each request and answers the statuses
 * queued with {@link #answer}, then 200. Verifies signatures as the README tells receivers to.
 */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received: its headers (first values) and raw body. */
  record Received(Map<String, String> headers, byte[] body, int answered) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          Map<String, String> headers = new java.util.HashMap<>();
          exchange
              .getRequestHeaders()
              .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
          Integer queued = answers.poll();
          int status = queued == null ? 200 : queued;
          received.add(new Received(headers, body, status));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  /** The statuses to answer, in order, before answering 200. */
  void answer(Integer... statuses) {
    answers.addAll(List.of(statuses));
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The next request, waiting at most {@code timeout}; fails when none came. */
  Received next(Duration timeout) throws InterruptedException {
    Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no webhook within " + timeout);
    }
    return r;
  }

  /** Requests received and not taken yet, after waiting {@code quiet}. */
  List<Received> rest(Duration quiet) throws InterruptedException {
    Thread.sleep(quiet.toMillis());
    List<Received> rest = new java.util.ArrayList<>();
    received.drainTo(rest);
    return rest;
  }

  /**
   * Checks {@code X-Tracetics-Signature} as a receiver does: {@code t} recent, {@code v1} the
   * HMAC-SHA256 of {@code "<t>.<raw body>"} under the secret, compared in constant time.
   */
  static void verify(Received request, String secret) {
    String header = request.header("X-Tracetics-Signature");
    assertTrue(header != null && header.startsWith("t="), () -> "signature header: " + header);
    long t = 0;
    String v1 = null;
    for (String part : header.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv[0].equals("t")) {
        t = Long.parseLong(kv[1]);
      } else if (kv[0].equals("v1")) {
        v1 = kv[1];
      }
    }
    long now = System.currentTimeMillis() / 1000;
    assertTrue(Math.abs(now - t) < 300, "timestamp within tolerance");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      byte[] expected = mac.doFinal(request.body());
      assertTrue(
          v1 != null && MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1)),
          "signature matches");
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
    assertEquals("application/json", request.header("Content-Type"));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
