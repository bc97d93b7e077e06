package io.tracetics.alerts;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Sends one webhook: checks its target again right before connecting (a fresh resolution, every
 * address public unless private targets are allowed), then POSTs the body with a timeout and never
 * follows a redirect (a 3xx is a failed attempt). The HTTP client resolves the name once more when
 * it connects, so a DNS server that answers differently from one second to the next (DNS rebinding)
 * could still steer that connection elsewhere; the window is that short, and closing it would mean
 * connecting to the checked address, which Java's client cannot do for https.
 */
public class WebhookSender {
  /** The receiver's HTTP status, or the class of failure when there was none. */
  public record Outcome(Integer statusCode, String error) {
    public boolean delivered() {
      return statusCode != null && statusCode / 100 == 2;
    }
  }

  private final WebhookTargets targets;
  private final HttpClient client;
  private final Duration requestTimeout;

  public WebhookSender(WebhookTargets targets, Duration connectTimeout, Duration requestTimeout) {
    this.targets = targets;
    this.requestTimeout = requestTimeout;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
  }

  public Outcome send(String url, byte[] body, Map<String, String> headers) {
    WebhookTargets.Target target;
    try {
      target = targets.check(url);
    } catch (WebhookTargets.RefusedTarget e) {
      return new Outcome(null, "refused_target");
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target.uri())
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Tracetics-Webhooks/1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    try {
      HttpResponse<Void> response =
          client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      return new Outcome(response.statusCode(), null);
    } catch (HttpConnectTimeoutException e) {
      return new Outcome(null, "connect_timeout");
    } catch (HttpTimeoutException e) {
      return new Outcome(null, "timeout");
    } catch (ConnectException e) {
      return new Outcome(null, "connection_failed");
    } catch (SSLException e) {
      return new Outcome(null, "tls_error");
    } catch (IOException e) {
      return new Outcome(null, "io_error");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(null, "interrupted");
    } catch (IllegalArgumentException e) {
      return new Outcome(null, "invalid_request");
    }
  }
}
