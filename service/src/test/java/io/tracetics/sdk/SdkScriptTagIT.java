package io.tracetics.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Browser;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The README's {@code <script>} snippet in a real browser: a page of another origin, under a strict
 * Content-Security-Policy (no inline script without its nonce, no eval, connections only to the
 * Tracetics server), loads the served bundle with Subresource Integrity and sends events through
 * it, a large one gzipped; they arrive in the app.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SdkScriptTagIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  private static final String NONCE = "dGVzdC1ub25jZQ";

  @Test
  void aPageWithTheSnippetSendsEventsThatArrive() throws Exception {
    Http http = new Http(APP.getLocalPort());
    Tenants.TenantApp tenant = Tenants.create(http);
    SdkBundle bundle = SdkBundle.load();
    String api = "http://127.0.0.1:" + APP.getLocalPort();
    String integrity =
        "sha384-"
            + Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-384").digest(bundle.bytes()));
    String page =
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>shop</title>
        <script nonce="%1$s">
          // The test's probe, not part of the snippet: records each request's Content-Encoding.
          window.encodings = [];
          const realFetch = window.fetch;
          window.fetch = (url, init) => {
            window.encodings.push((init && init.headers && init.headers['Content-Encoding']) || 'identity');
            return realFetch(url, init);
          };
        </script>
        <script src="%2$s/sdk/%3$s" integrity="%4$s" crossorigin="anonymous"></script>
        <script nonce="%1$s">
          const tracetics = new Tracetics({
            endpoint: '%2$s',
            tenantKey: '%5$s',
            trackedAppKey: '%6$s',
          });
          window.errors = [];
          window.sent = Promise.all([
            tracetics.track({ event_name: 'page_view', metadata: { path: location.pathname } }),
            tracetics.track({ event_name: 'long_read', metadata: { text: 'x'.repeat(5000) } }),
          ]).then(() => 'acknowledged', (e) => 'failed: ' + e.code + ' ' + e.message);
        </script>
        </head><body><h1>A page of another origin</h1></body></html>
        """
            .formatted(
                NONCE, api, bundle.versionedName(), integrity, tenant.tenantKey(), tenant.appKey());
    String policy =
        "default-src 'none'; script-src %s 'nonce-%s'; connect-src %s; base-uri 'none'"
            .formatted(api, NONCE, api);

    HttpServer site =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    site.createContext(
        "/shop",
        exchange -> {
          byte[] body = page.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.getResponseHeaders().add("Content-Security-Policy", policy);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    site.start();
    try (Browser browser = Browser.start()) {
      browser.driver().get("http://127.0.0.1:" + site.getAddress().getPort() + "/shop");
      Object outcome =
          ((JavascriptExecutor) browser.driver())
              .executeAsyncScript(
                  "const done = arguments[arguments.length - 1];"
                      + " (window.sent || Promise.resolve('no client: the bundle did not load'))"
                      + ".then(done);");
      browser.assertNoScriptErrors();
      assertEquals("acknowledged", outcome, "the page's events");
      assertEquals(
          "function", browser.script("return typeof Tracetics;"), "the global of the bundle");
      assertEquals(
          List.of("gzip"),
          browser.script("return window.encodings;"),
          "one batch, above the gzip threshold");
      browser.screenshot("sdk-script-tag", Browser.LAPTOP);
    } finally {
      site.stop(0);
    }

    Reports.awaitLoaded(APP, tenant.appId(), 2);
    JsonNode rows =
        http.post("/api/v1/apps/" + tenant.appId() + "/sql")
            .bearer(tenant.managementToken())
            .json(
                Map.of(
                    "query",
                    "SELECT event_name, metadata->>'path' AS path,"
                        + " length(metadata->>'text') AS text_length"
                        + " FROM events ORDER BY event_name"))
            .send()
            .successJson()
            .get("rows");
    assertEquals(2, rows.size(), rows::toString);
    assertEquals("long_read", rows.get(0).get(0).asText());
    assertEquals(5000, rows.get(0).get(2).asInt());
    assertEquals("page_view", rows.get(1).get(0).asText());
    assertEquals("/shop", rows.get(1).get(1).asText());
  }
}
