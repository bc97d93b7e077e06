package io.tracetics.sdk;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SDK's script-tag build is served at its two paths, with headers for any page's origin. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SdkServingIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  private static final SdkBundle BUNDLE = SdkBundle.load();

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void theLatestPathServesTheBundleForMinutesThenRevalidates() {
    Http.Response script = http().get("/sdk/tracetics.js").send();
    assertScript(script);
    assertEquals("public, max-age=300", script.header("Cache-Control"));
  }

  @Test
  void theVersionedPathServesTheSameBytesImmutableForAYear() {
    Http.Response script = http().get("/sdk/" + BUNDLE.versionedName()).send();
    assertScript(script);
    assertEquals("public, max-age=31536000, immutable", script.header("Cache-Control"));
  }

  @Test
  void aMatchingEtagIsANotModifiedWithoutBody() {
    for (String path : new String[] {"/sdk/tracetics.js", "/sdk/" + BUNDLE.versionedName()}) {
      String etag = http().get(path).send().header("ETag");
      Http.Response again = http().get(path).header("If-None-Match", etag).send();
      assertEquals(304, again.status(), path + ": " + again);
      assertEquals("", again.text());
      assertEquals(etag, again.header("ETag"));
      assertTrue(again.header("Cache-Control").startsWith("public, max-age="), path);
      assertEquals(200, http().get(path).header("If-None-Match", "\"other\"").send().status());
    }
  }

  @Test
  void anotherVersionIsA404NamingTheServedOne() {
    Http.Response missing = http().get("/sdk/tracetics-0.0.1-old.js").send();
    assertEquals(
        BUNDLE.version(),
        assertError(missing, 404, "sdk_version_not_found").get("version").asText());
    assertTrue(missing.header("Content-Type").startsWith("application/json"), missing.toString());
    assertNull(missing.header("Cache-Control"), "a miss is not cached for a year");
    assertEquals(404, http().get("/sdk/other.js").send().status());
  }

  private static void assertScript(Http.Response script) {
    assertEquals(200, script.status(), script::toString);
    assertEquals("text/javascript;charset=utf-8", script.header("Content-Type").replace(" ", ""));
    assertEquals(new String(BUNDLE.bytes(), StandardCharsets.UTF_8), script.text());
    assertTrue(script.text().startsWith("/*! tracetics-sdk " + BUNDLE.version() + " "));
    assertEquals(BUNDLE.etag(), script.header("ETag"));
    assertEquals("nosniff", script.header("X-Content-Type-Options"));
    // Any page may load it, with crossorigin and integrity too, and under COEP require-corp.
    assertEquals("*", script.header("Access-Control-Allow-Origin"));
    assertEquals("cross-origin", script.header("Cross-Origin-Resource-Policy"));
    assertEquals(BUNDLE.version(), script.header("X-Tracetics-Sdk-Version"));
    assertNull(script.header("Set-Cookie"));
  }
}
