package io.tracetics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Browser;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/docs}: Swagger UI from its WebJar on the served OpenAPI document, under its own
 * strict Content-Security-Policy; in headless Chromium it draws every operation without a script
 * error or a policy violation (screenshot {@code target/screenshots/api-docs.png}).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiDocsIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void thePageAndItsFilesAreServedUnderTheirOwnPolicy() {
    Http.Response page = http().get("/api/docs").send();
    assertEquals(200, page.status(), page::toString);
    assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
    String csp = page.header("Content-Security-Policy");
    assertEquals(ApiDocsHeaders.CONTENT_SECURITY_POLICY, csp);
    assertFalse(csp.contains("unsafe"), csp);
    assertFalse(csp.contains("http"), "no other origin: " + csp);
    assertEquals("DENY", page.header("X-Frame-Options"));

    String html = page.text();
    Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
    int count = 0;
    while (scripts.find()) {
      assertTrue(scripts.group(1).contains("src=\"/"), "no inline script: " + scripts.group());
      count++;
    }
    assertEquals(2, count);
    assertFalse(html.contains("style="), "inline style attribute");

    List<String> files = new ArrayList<>();
    Matcher links = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(html);
    while (links.find()) {
      files.add(links.group(1));
    }
    assertTrue(files.contains("/api/docs/swagger-ui/swagger-ui-bundle.js"), files::toString);
    for (String file : files) {
      Http.Response got = http().get(file).send();
      assertEquals(200, got.status(), file);
      String type = got.header("Content-Type");
      if (file.endsWith(".js")) {
        assertTrue(type.contains("javascript"), file + ": " + type);
      } else if (file.endsWith(".css")) {
        assertTrue(type.startsWith("text/css"), file + ": " + type);
      }
      if (file.startsWith("/api/docs/")) {
        assertEquals(ApiDocsHeaders.CONTENT_SECURITY_POLICY, got.header("Content-Security-Policy"));
        assertEquals("nosniff", got.header("X-Content-Type-Options"));
      }
    }
    String initializer = http().get("/api/docs/assets/docs.js").send().text();
    assertTrue(initializer.contains("url: '/api/v1/openapi.yaml'"), initializer);
    assertTrue(initializer.contains("validatorUrl: null"), initializer);
    assertEquals(404, http().get("/api/docs/swagger-ui/nothing.js").send().status());
  }

  @Test
  void swaggerUiDrawsTheDocumentWithoutViolatingThePolicy() {
    try (Browser browser = Browser.start()) {
      browser.driver().get("http://127.0.0.1:" + APP.getLocalPort() + "/api/docs");
      browser.awaitText(".info .title", "Tracetics API");
      // One block per operation; the ingest operations are the first tag's.
      browser.await(d -> browser.findAll(".opblock").size() > 40);
      assertTrue(browser.find("#operations-ingest-post_api_v1_events").isDisplayed());
      browser.screenshot("api-docs", Browser.LAPTOP);
      browser.assertNoScriptErrors();
    }
  }
}
