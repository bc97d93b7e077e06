package io.tracetics.billing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local stand-in for Stripe's API (tests cannot reach Stripe): answers {@code POST
 * /v1/checkout/sessions} with a realistically shaped session, or with Stripe's error shape when the
 * success URL asks for it, and keeps the last request for the test to check.
 */
final class StripeStandIn implements AutoCloseable {
  /** One request as Stripe would have received it. */
  record Received(String method, String path, String authorization, Map<String, String> form) {}

  private final HttpServer server;
  private final AtomicReference<Received> last = new AtomicReference<>();

  StripeStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  Received last() {
    return last.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> form = decodeForm(body);
    last.set(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            form));
    if (!"POST".equals(exchange.getRequestMethod())
        || !"/v1/checkout/sessions".equals(exchange.getRequestURI().getPath())) {
      respond(exchange, 404, error("invalid_request_error", "Unrecognized request URL"));
      return;
    }
    if (form.getOrDefault("success_url", "").contains("stripe-says-no")) {
      respond(
          exchange,
          400,
          error(
              "invalid_request_error",
              "No such price: '" + form.get("line_items[0][price]") + "'"));
      return;
    }
    String id = "cs_test_" + Long.toHexString(System.nanoTime()) + "Xy7Qp";
    String session =
        """
        {
          "id": "%s",
          "object": "checkout.session",
          "amount_subtotal": 2900,
          "amount_total": 2900,
          "cancel_url": "%s",
          "client_reference_id": "%s",
          "created": %d,
          "currency": "usd",
          "customer": %s,
          "expires_at": %d,
          "livemode": false,
          "metadata": {"tenant_id": "%s", "tracetics_plan": "%s"},
          "mode": "subscription",
          "payment_status": "unpaid",
          "status": "open",
          "subscription": null,
          "success_url": "%s",
          "ui_mode": "hosted",
          "url": "https://checkout.stripe.com/c/pay/%s#fidkdWxOYHwnPyd1blpxYHZxWjA0"
        }
        """
            .formatted(
                id,
                form.get("cancel_url"),
                form.get("client_reference_id"),
                System.currentTimeMillis() / 1000,
                form.containsKey("customer") ? '"' + form.get("customer") + '"' : "null",
                System.currentTimeMillis() / 1000 + 86_400,
                form.get("metadata[tenant_id]"),
                form.get("metadata[tracetics_plan]"),
                form.get("success_url"),
                id);
    exchange.getResponseHeaders().add("Request-Id", "req_standin" + System.nanoTime());
    respond(exchange, 200, session);
  }

  private static String error(String type, String message) {
    return "{\"error\": {\"type\": \"%s\", \"message\": \"%s\", \"param\": \"line_items[0][price]\"}}"
        .formatted(type, message);
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> decodeForm(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(key, value);
    }
    return form;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
