package io.tracetics.dashboard;

import static io.tracetics.testing.Browser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Browser;
import io.tracetics.testing.BrowserTest;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * An app's alerts page in headless Chromium: a refused request shows the API's message, a created
 * alert shows its secret once and its state, firing after events drive the funnel under the
 * threshold, and delete removes it. Webhooks may reach 127.0.0.1 here (test-config-alerts.yml); the
 * one used points at a closed loopback port.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AlertsDashboardIT extends BrowserTest {
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension("test-config-alerts.yml", Map.of());

  @Test
  void createSeeFiringAndDeleteAnAlert() throws Exception {
    Http http = new Http(APP.getLocalPort());
    Tenants.TenantApp t = Tenants.create(http);
    Reports.saveFunnel(
        http,
        t,
        """
        {"name": "Signup funnel", "window_seconds": 3600,
         "steps": [{"event_name": "visit"}, {"event_name": "signup"}]}
        """);

    browser.openSignedOut(APP.getLocalPort());
    browser.signIn(t.managementToken());
    browser.awaitVisible("[data-app-id='" + t.appId() + "'] " + testId("alerts-link")).click();
    browser.awaitVisible(testId("no-alerts"));

    // A webhook URL that is not http(s): the API's message, naming the field.
    browser.find("#alert-name").sendKeys("Signups fell");
    new Select(browser.find(testId("alert-metric"))).selectByValue("conversion_from_first");
    new Select(browser.find(testId("alert-condition"))).selectByValue("below");
    browser.find(testId("alert-threshold")).sendKeys("0.5");
    WebElement minEntered = browser.find(testId("alert-min-entered"));
    minEntered.sendKeys(Keys.chord(Keys.CONTROL, "a"), "10");
    WebElement url = browser.find(testId("alert-webhook"));
    url.sendKeys("ftp://127.0.0.1/hook");
    browser.find(testId("create-alert")).click();
    browser.awaitText(testId("alert-error"), "webhook_url");

    url.sendKeys(Keys.chord(Keys.CONTROL, "a"), "http://127.0.0.1:9/hook");
    browser.find(testId("create-alert")).click();
    browser.awaitText(testId("flash"), "whsec_");
    List<WebElement> rows = browser.findAll(testId("alert-row"));
    assertEquals(1, rows.size());
    assertEquals("ok", browser.find(testId("alert-state")).getText());
    assertTrue(rows.get(0).getText().contains("Signup funnel"));
    long alertId = Long.parseLong(rows.get(0).getAttribute("data-alert-id"));

    // 10 visit, 2 sign up: 20% < 50%, the alert fires.
    Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS);
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(
          Map.of(
              "user_identifier",
              "u" + i,
              "event_name",
              "visit",
              "timestamp",
              t0.plusSeconds(i).toString()));
      if (i < 2) {
        events.add(
            Map.of(
                "user_identifier",
                "u" + i,
                "event_name",
                "signup",
                "timestamp",
                t0.plusSeconds(i + 60).toString()));
      }
    }
    http.post("/api/v1/events/batch")
        .header("X-OL-Tenant-Key", t.tenantKey())
        .header("X-OL-App-Key", t.appKey())
        .json(Map.of("events", events))
        .send()
        .successJson();
    Reports.awaitLoaded(APP, t.appId(), 12);
    awaitState(http, t, alertId, "firing");
    browser.driver().navigate().refresh();
    browser.awaitText(testId("alert-state"), "firing");
    assertTrue(browser.find(testId("alert-row")).getText().contains("20%"));
    browser.screenshot("alerts", Browser.LAPTOP);
    browser.assertNoScriptErrors();

    WebElement delete = browser.find(testId("delete-alert"));
    delete.click();
    browser.awaitText(testId("delete-alert"), "Confirm delete").click();
    browser.awaitVisible(testId("no-alerts"));
    assertEquals(
        0,
        http.get("/api/v1/apps/" + t.appId() + "/alerts")
            .bearer(t.managementToken())
            .send()
            .successJson()
            .get("alerts")
            .size());
    browser.assertNoScriptErrors();
  }

  private static void awaitState(Http http, Tenants.TenantApp t, long alertId, String state)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode alert =
          http.get("/api/v1/apps/" + t.appId() + "/alerts/" + alertId)
              .bearer(t.managementToken())
              .send()
              .successJson();
      if (alert.get("state").asText().equals(state)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("alert not " + state + ": " + alert);
      }
      Thread.sleep(100);
    }
  }
}
