package io.tracetics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A raw HTTP client for integration tests: exact bytes out, status + headers + JSON back. */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private final HttpClient client;

  public Http(int port) {
    this(port, CLIENT);
  }

  /**
   * With its own client, hence its own connection pool: for servers that get SIGKILLed, whose port
   * a later server may reuse (a pooled connection to the dead one would break the new one's test).
   */
  public Http(int port, HttpClient client) {
    this.baseUrl = "http://127.0.0.1:" + port;
    this.client = client;
  }

  /** A fresh client with its own connection pool. */
  public static HttpClient newClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public Request request(String method, String path) {
    return new Request(client, method, baseUrl + path);
  }

  public Request get(String path) {
    return request("GET", path);
  }

  public Request post(String path) {
    return request("POST", path);
  }

  public Request put(String path) {
    return request("PUT", path);
  }

  public Request patch(String path) {
    return request("PATCH", path);
  }

  public Request delete(String path) {
    return request("DELETE", path);
  }

  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request being built. */
  public static final class Request {
    private final HttpClient client;
    private final String method;
    private final String url;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;
    private Duration timeout = Duration.ofSeconds(30);

    private Request(HttpClient client, String method, String url) {
      this.client = client;
      this.method = method;
      this.url = url;
    }

    public Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Request bearer(String token) {
      return header("Authorization", "Bearer " + token);
    }

    public Request body(String json) {
      headers.putIfAbsent("Content-Type", "application/json");
      this.body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return this;
    }

    public Request bytes(byte[] raw, String contentType) {
      headers.put("Content-Type", contentType);
      this.body = raw;
      return this;
    }

    public Request json(Object value) {
      return body(Http.json(value));
    }

    /** How long to wait for the response (30 s unless set): longer for benchmark queries. */
    public Request timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    public Response send() {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
      headers.forEach(builder::header);
      builder.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      try {
        HttpResponse<String> response =
            client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A response with its body parsed as JSON when it is JSON. */
  public static final class Response {
    private final HttpResponse<String> raw;

    Response(HttpResponse<String> raw) {
      this.raw = raw;
    }

    public int status() {
      return raw.statusCode();
    }

    public String text() {
      return raw.body();
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(raw.body());
      } catch (IOException e) {
        throw new AssertionError("Not JSON (status " + status() + "): " + raw.body(), e);
      }
    }

    /** The JSON body of a 2xx response; anything else is an error (outside a test's assertions). */
    public JsonNode successJson() {
      if (status() / 100 != 2) {
        throw new IllegalStateException(
            raw.request().method() + " " + raw.request().uri() + " -> " + this);
      }
      return json();
    }

    @Override
    public String toString() {
      return status() + " " + raw.body();
    }
  }
}
