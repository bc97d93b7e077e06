package io.tracetics.dashboard;

import static io.tracetics.testing.Browser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Browser;
import io.tracetics.testing.BrowserTest;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Share links in headless Chromium: the report's Share button creates a link and shows it once, the
 * link's page draws the report without signing in (bars that open nobody's list), embedded without
 * its header, and a revoked link's page is a plain 404.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ShareDashboardIT extends BrowserTest {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void shareAReportOpenItWithoutSigningInAndRevokeIt() throws Exception {
    List<Journeys.Event> events = Journeys.events();
    long[] expected = Journeys.expectedUsers(events);
    Tenants.TenantApp t = Tenants.create(http());
    send(t, events);
    long funnelId = createFunnel(t);
    String origin = "http://127.0.0.1:" + APP.getLocalPort();
    browser.openSignedOut(APP.getLocalPort());
    browser.signIn(t.managementToken());
    browser.awaitVisible(testId("app-card"));
    browser.driver().get(origin + "/#/apps/" + t.appId() + "/funnels/" + funnelId);
    browser.awaitVisible(testId("funnel-chart"));

    // The Share button: no links yet; one that lets viewers change the trend, until a date.
    browser.find(testId("share-funnel")).click();
    browser.awaitVisible(testId("share-panel"));
    browser.awaitVisible(testId("share-none"));
    browser.find(testId("share-allow-interval")).click();
    LocalDate through = LocalDate.now(ZoneOffset.UTC).plusDays(30);
    browser.script(
        "arguments[0].value = arguments[1];",
        browser.find(testId("share-expiry")),
        through.toString());
    browser.find(testId("share-create")).click();
    WebElement url = browser.awaitVisible(testId("share-url"));
    String link = url.getAttribute("value");
    assertTrue(link.matches("\\Q" + origin + "\\E/s/sh_[A-Za-z0-9_-]{32}"), link);
    browser.find(testId("share-copy")).click();
    browser.await(d -> !browser.find(testId("share-copied")).getText().isEmpty());
    WebElement row = browser.awaitVisible(testId("share-row"));
    assertTrue(row.getText().contains("interval"), row.getText());
    assertTrue(row.getText().contains(through.plusDays(1) + " 00:00:00 UTC"), row.getText());
    assertFalse(row.getText().contains("sh_"), "the list never shows a token");
    browser.screenshot("share-panel", Browser.LAPTOP);
    JsonNode listed =
        http()
            .get("/api/v1/apps/" + t.appId() + "/funnels/" + funnelId + "/shares")
            .bearer(t.managementToken())
            .send()
            .json()
            .get("shares");
    assertEquals(1, listed.size());
    assertEquals("interval", listed.get(0).get("allowed_parameters").get(0).asText());

    // The link's page, in a tab that holds no token of the tenant.
    browser.script("sessionStorage.clear();");
    browser.driver().get(link);
    browser.awaitText(testId("funnel-title"), "Share funnel");
    browser.awaitVisible(testId("funnel-chart"));
    List<WebElement> bars = browser.findAll(testId("funnel-chart") + " g.step");
    assertEquals(3, bars.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(String.valueOf(expected[i]), bars.get(i).getAttribute("data-users"), "bar " + i);
    }
    assertEquals(0, browser.findAll(testId("funnel-chart") + " [role='button']").size());
    browser.find(testId("funnel-chart") + " g.step[data-step='1'] rect.bar").click();
    assertEquals(0, browser.findAll(testId("people-title")).size(), "no people panel");
    assertEquals(0, browser.findAll("#s-from").size(), "only the trend may change");
    assertTrue(browser.find(".shared-chrome").isDisplayed());
    browser.screenshot("shared-report", Browser.LAPTOP);
    browser.screenshot("shared-report-phone", Browser.PHONE);
    browser.driver().manage().window().setSize(Browser.LAPTOP);

    new Select(browser.find("#s-interval")).selectByValue("day");
    browser.awaitVisible(testId("trend-chart"));
    assertEquals(3, browser.findAll(testId("trend-chart") + " g.trend-point").size());
    assertEquals(0, browser.findAll(testId("trend-chart") + " [role='button']").size());
    browser.screenshot("shared-report-trend", Browser.LAPTOP);

    // Embedded: the report without the page's header.
    browser.driver().get(link + "?embed=1");
    browser.awaitVisible(testId("funnel-chart"));
    assertFalse(browser.find(".shared-chrome").isDisplayed());
    browser.screenshot("shared-report-embed", Browser.LAPTOP);
    browser.assertNoScriptErrors();

    // Revoked from the dashboard: the page is a plain 404.
    browser.driver().get(origin + "/");
    browser.signIn(t.managementToken());
    browser.awaitVisible(testId("app-card"));
    browser.driver().get(origin + "/#/apps/" + t.appId() + "/funnels/" + funnelId);
    browser.awaitVisible(testId("share-funnel")).click();
    browser.awaitVisible(testId("share-revoke")).click();
    browser.awaitVisible(testId("share-none"));
    browser.driver().get(link);
    browser.awaitText("h1", "Not found");
    assertTrue(browser.find("body").getText().contains("does not exist"));
    assertEquals(0, browser.findAll(testId("funnel-chart")).size());
  }

  private long createFunnel(Tenants.TenantApp t) {
    return Journeys.saveFunnel(http(), t, "Share funnel");
  }

  /** Sends the events through the ingest API and waits until this node has loaded them. */
  private void send(Tenants.TenantApp t, List<Journeys.Event> events) throws InterruptedException {
    Journeys.send(APP, t, events);
  }
}
