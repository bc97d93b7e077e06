package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestJdbi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An imported export, identifies included, as a running server reports it: the loader finds the
 * import's batches without a notice and the funnel counts the anonymous visit and the signed-in
 * steps as one person.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PresetFunnelIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  private static final String SIGNUP =
      """
      {"name": "signup", "window_seconds": 86400, "order": "ordered",
       "steps": [{"event_name": "page_viewed"}, {"event_name": "Signed Up"},
                 {"event_name": "Upgraded"}]}
      """;

  @TempDir Path dir;

  @Test
  void anImportedSegmentArchiveConvertsAcrossLogin() throws Exception {
    Http http = new Http(APP.getLocalPort());
    Tenants.TenantApp t = Tenants.create(http);
    Instant t0 = Instant.now().minusSeconds(7200);
    Path file =
        Files.writeString(
            dir.resolve("segment.json"),
            String.join(
                "\n",
                "{\"type\":\"page\",\"name\":\"Pricing\",\"anonymousId\":\"anon-f\",\"timestamp\":\""
                    + t0
                    + "\",\"messageId\":\"f-1\"}",
                "{\"type\":\"identify\",\"userId\":\"u_f\",\"anonymousId\":\"anon-f\","
                    + "\"traits\":{\"plan\":\"pro\"},\"timestamp\":\""
                    + t0.plusSeconds(30)
                    + "\",\"messageId\":\"f-2\"}",
                "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u_f\",\"timestamp\":\""
                    + t0.plusSeconds(60)
                    + "\",\"messageId\":\"f-3\"}",
                "{\"type\":\"track\",\"event\":\"Upgraded\",\"userId\":\"u_f\",\"timestamp\":\""
                    + t0.plusSeconds(600)
                    + "\",\"messageId\":\"f-4\"}",
                ""),
            StandardCharsets.UTF_8);

    ImportSummary summary =
        new Importer(TestJdbi.create(), Clock.systemUTC())
            .run(ImportOptions.of(t.appId(), file).withPreset(ImportPreset.SEGMENT), (f, r) -> {});
    assertEquals(3, summary.stored());
    assertEquals(new ImportSummary.Identifies(1, 0, 0), summary.identifies());

    JsonNode report =
        awaitUsers(http, t, "/api/v1/apps/" + t.appId() + "/funnels/report", List.of(1L, 1L, 1L));
    assertEquals(1.0, report.get("steps").get(2).get("conversion_from_first").asDouble());
  }

  private static JsonNode awaitUsers(
      Http http, Tenants.TenantApp t, String path, List<Long> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode report = null;
    while (System.nanoTime() < deadline) {
      report = http.post(path).bearer(t.managementToken()).body(SIGNUP).send().json();
      List<Long> users = new ArrayList<>();
      report.get("steps").forEach(step -> users.add(step.get("users").asLong()));
      if (users.equals(expected)) {
        return report;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("report never reached " + expected + ": " + report);
  }
}
