package io.tracetics.sdk;

import static io.tracetics.testing.Browser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Browser;
import io.tracetics.testing.BrowserTest;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
import org.openqa.selenium.WebElement;

/**
 * The SDK's {@code <script>} snippet in a real browser, on a page of another origin (its own server
 * on another port): the README's form under a strict Content-Security-Policy with Subresource
 * Integrity, and the dashboard's "Install" hint as a person would paste it. The events they send
 * arrive in the app.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SdkScriptTagIT extends BrowserTest {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  private static final String NONCE = "dGVzdC1ub25jZQ";

  @Test
  void aStrictPageLoadsThePinnedVersionAndItsEventsArriveGzipped() throws Exception {
    Http http = new Http(APP.getLocalPort());
    Tenants.TenantApp tenant = Tenants.create(http);
    SdkBundle bundle = SdkBundle.load();
    String api = api();
    String integrity =
        "sha384-"
            + Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-384").digest(bundle.bytes()));
    String head =
        """
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
          window.sent = Promise.all([
            tracetics.track({ event_name: 'page_view', metadata: { path: location.pathname } }),
            tracetics.track({ event_name: 'long_read', metadata: { text: 'x'.repeat(5000) } }),
          ]).then(() => 'acknowledged', (e) => 'failed: ' + e.code + ' ' + e.message);
        </script>
        """
            .formatted(
                NONCE, api, bundle.versionedName(), integrity, tenant.tenantKey(), tenant.appKey());
    String policy =
        "default-src 'none'; script-src %s 'nonce-%s'; connect-src %s; base-uri 'none'"
            .formatted(api, NONCE, api);

    HttpServer site = site(head, policy);
    try {
      browser.driver().get("http://127.0.0.1:" + site.getAddress().getPort() + "/shop");
      assertEquals("acknowledged", awaitSent(), "the page's events");
      browser.assertNoScriptErrors();
      assertEquals("function", browser.script("return typeof Tracetics;"), "the bundle's global");
      assertEquals(
          List.of("gzip"),
          browser.script("return window.encodings;"),
          "one batch, above the gzip threshold");
    } finally {
      site.stop(0);
    }

    Reports.awaitLoaded(APP, tenant.appId(), 2);
    JsonNode rows =
        sql(
            http,
            tenant,
            "SELECT event_name, metadata->>'path' AS path, length(metadata->>'text') AS text_length"
                + " FROM events ORDER BY event_name");
    assertEquals(2, rows.size(), rows::toString);
    assertEquals("long_read", rows.get(0).get(0).asText());
    assertEquals(5000, rows.get(0).get(2).asInt());
    assertEquals("page_view", rows.get(1).get(0).asText());
    assertEquals("/shop", rows.get(1).get(1).asText());
  }

  @Test
  void theDashboardsInstallHintWorksWhenPastedWithTheKeys() throws Exception {
    Http http = new Http(APP.getLocalPort());
    Tenants.TenantApp tenant = Tenants.create(http);
    browser.openSignedOut(APP.getLocalPort());
    browser.awaitVisible(testId("token-input")).sendKeys(tenant.managementToken());
    browser.find("#sign-in").click();
    String card = "[data-app-id='" + tenant.appId() + "'] ";
    browser.awaitVisible(card + testId("install-hint") + " summary").click();
    WebElement textarea = browser.awaitVisible(card + testId("install-snippet"));
    String snippet = textarea.getAttribute("value");
    assertTrue(snippet.contains("src=\"" + api() + "/sdk/tracetics.js\""), snippet);
    assertTrue(snippet.contains("(app_id " + tenant.appId() + ")"), snippet);
    browser.screenshot("sdk-install-hint", Browser.LAPTOP);

    HttpServer site =
        site(
            snippet.replace("TENANT_KEY", tenant.tenantKey()).replace("APP_KEY", tenant.appKey()),
            null);
    try {
      browser.driver().get("http://127.0.0.1:" + site.getAddress().getPort() + "/shop");
      assertEquals(
          "page_view",
          browser.script("return typeof tracetics === 'object' ? 'page_view' : 'no client';"));
      assertEquals(
          "done",
          ((JavascriptExecutor) browser.driver())
              .executeAsyncScript(
                  "const done = arguments[arguments.length - 1];"
                      + " tracetics.flush().then(() => done('done'));"));
      browser.assertNoScriptErrors();
    } finally {
      site.stop(0);
    }
    Reports.awaitLoaded(APP, tenant.appId(), 1);
    JsonNode rows = sql(http, tenant, "SELECT event_name, metadata->>'path' FROM events");
    assertEquals("[[\"page_view\",\"/shop\"]]", rows.toString());
  }

  private static String api() {
    return "http://127.0.0.1:" + APP.getLocalPort();
  }

  /** What the page's {@code window.sent} promise settled to. */
  private static Object awaitSent() {
    return ((JavascriptExecutor) browser.driver())
        .executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + " (window.sent || Promise.resolve('no client: the bundle did not load'))"
                + ".then(done);");
  }

  /**
   * A site of its own origin serving {@code /shop}: a page with {@code head}, under {@code policy}.
   */
  private static HttpServer site(String head, String policy) {
    String page =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>shop</title>\n"
            + head
            + "\n</head><body><h1>A page of another origin</h1></body></html>\n";
    byte[] body = page.getBytes(StandardCharsets.UTF_8);
    try {
      HttpServer site =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      site.createContext(
          "/shop",
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            if (policy != null) {
              exchange.getResponseHeaders().add("Content-Security-Policy", policy);
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      site.start();
      return site;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode sql(Http http, Tenants.TenantApp tenant, String query) {
    return http.post("/api/v1/apps/" + tenant.appId() + "/sql")
        .bearer(tenant.managementToken())
        .json(Map.of("query", query))
        .send()
        .successJson()
        .get("rows");
  }
}
