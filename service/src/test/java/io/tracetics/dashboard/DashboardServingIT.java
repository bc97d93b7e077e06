package io.tracetics.dashboard;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dashboard is served on the API's port without changing anything about the API. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardServingIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/dashboard/[^\"]+)\"");
  private static final Pattern IMPORT = Pattern.compile("from '(\\./|\\.\\./)([^']+)'");

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void rootServesThePageWithAStrictContentSecurityPolicy() {
    Http.Response page = http().get("/").header("Accept", "text/html").send();
    assertEquals(200, page.status());
    assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
    String csp = page.header("Content-Security-Policy");
    assertTrue(csp.contains("default-src 'none'"), csp);
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    // Images: its own, and the blob: URLs it makes to turn a chart's SVG into a PNG.
    assertTrue(csp.contains("img-src 'self' blob:;"), csp);
    assertFalse(csp.contains("http"), "no other origin: " + csp);
    assertEquals("nosniff", page.header("X-Content-Type-Options"));
    assertEquals("DENY", page.header("X-Frame-Options"));
    // No inline script or style: every <script> has a src, no style attributes or blocks.
    String html = page.text();
    Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
    int count = 0;
    while (scripts.find()) {
      assertTrue(scripts.group(1).contains("src=\"/dashboard/"), scripts.group());
      count++;
    }
    assertTrue(count > 0);
    assertFalse(html.contains("style="), "inline style attribute");
    assertFalse(html.contains("<style"), "inline style block");
    // Any Accept works (browsers send */*).
    assertEquals(200, http().get("/").send().status());
  }

  @Test
  void everyFileThePageLoadsIsServedWithTheRightType() {
    String html = http().get("/").send().text();
    Set<String> files = new LinkedHashSet<>();
    Matcher assets = ASSET.matcher(html);
    while (assets.find()) {
      files.add(assets.group(1));
    }
    // Follow the ES module imports from the entry point.
    Deque<String> modules = new ArrayDeque<>();
    files.stream().filter(f -> f.endsWith(".js")).forEach(modules::add);
    Set<String> seen = new LinkedHashSet<>();
    while (!modules.isEmpty()) {
      String module = modules.pop();
      if (!seen.add(module)) {
        continue;
      }
      Http.Response js = http().get(module).send();
      assertEquals(200, js.status(), module);
      assertTrue(
          js.header("Content-Type").contains("javascript"),
          module + ": " + js.header("Content-Type"));
      assertTrue(js.header("Content-Security-Policy").contains("script-src 'self'"), module);
      Matcher imports = IMPORT.matcher(js.text());
      String dir = module.substring(0, module.lastIndexOf('/') + 1);
      while (imports.find()) {
        String target =
            imports.group(1).equals("./")
                ? dir
                : dir.substring(0, dir.lastIndexOf('/', dir.length() - 2) + 1);
        modules.add(target + imports.group(2));
      }
    }
    assertTrue(seen.size() >= 8, "modules: " + seen);
    for (String file : files) {
      Http.Response response = http().get(file).send();
      assertEquals(200, response.status(), file);
      String type = response.header("Content-Type");
      if (file.endsWith(".css")) {
        assertTrue(type.startsWith("text/css"), file + ": " + type);
      } else if (file.endsWith(".svg")) {
        assertTrue(type.startsWith("image/svg+xml"), file + ": " + type);
      }
    }
    assertEquals(404, http().get("/dashboard/js/missing.js").send().status());
    // uPlot comes from its WebJar (imported by js/timeseries.js, checked above); no listing.
    assertTrue(seen.contains("/dashboard/vendor/uplot/uPlot.esm.js"), "modules: " + seen);
    assertTrue(files.contains("/dashboard/vendor/uplot/uPlot.min.css"), "files: " + files);
    assertEquals(404, http().get("/dashboard/vendor/uplot/").send().status());
  }

  @Test
  void apiRoutesAndTheirErrorShapeAreUnchanged() {
    assertError(http().get("/api/v1/apps").send(), 401, null);
    assertError(http().get("/api/v1/no-such-route").send(), 404, null);
    assertError(http().get("/no-such-page").send(), 404, null);
    assertError(http().post("/").body("{}").send(), 405, null);
    Http.Response openapi = http().get("/api/v1/openapi.yaml").send();
    assertEquals(200, openapi.status());
    assertEquals(
        null, openapi.header("Content-Security-Policy"), "API answers carry no page headers");
  }
}
