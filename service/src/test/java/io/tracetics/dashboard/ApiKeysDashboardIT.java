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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;

/**
 * The API keys page in headless Chromium: the management token issues a read-only key, the key
 * signs in and the dashboard shows only what it may do, then the key is revoked and stops working.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiKeysDashboardIT extends BrowserTest {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  @Test
  void issueAReadOnlyKeySignInWithItAndRevokeIt() {
    Http http = new Http(APP.getLocalPort());
    Tenants.TenantApp t = Tenants.create(http);
    long funnel =
        Reports.saveFunnel(
            http,
            t,
            """
            {"name": "Signup", "window_seconds": 3600,
             "steps": [{"event_name": "visit"}, {"event_name": "signup"}]}
            """);

    browser.openSignedOut(APP.getLocalPort());
    browser.signIn(t.managementToken());
    browser.awaitVisible(testId("app-card"));
    WebElement keysLink = browser.find("a[data-nav='keys']");
    assertTrue(keysLink.isDisplayed(), "the management token manages keys");
    keysLink.click();
    browser.awaitVisible(testId("key-name")).sendKeys("Ana (read only)");
    // reports:read is checked by default; limit the key to the tenant's app.
    browser.find(testId("key-app")).click();
    browser.find(testId("key-create")).click();
    String key = browser.awaitVisible(testId("new-key")).getText();
    assertTrue(key.startsWith("rk_"), key);
    WebElement row = browser.awaitVisible(testId("key-row"));
    assertTrue(row.getText().contains("Ana (read only)"), row.getText());
    assertTrue(row.getText().contains("reports:read"), row.getText());
    browser.screenshot("api-keys", Browser.LAPTOP);

    // Signed in with the key: funnels readable, nothing to create, edit, query or administer.
    browser.find("#sign-out").click();
    browser.signIn(key);
    browser.awaitVisible(testId("funnel-link"));
    assertEquals(0, browser.findAll(testId("new-funnel")).size());
    assertTrue(browser.findAll("a[data-nav='sql']").stream().noneMatch(WebElement::isDisplayed));
    assertTrue(browser.findAll("a[data-nav='keys']").stream().noneMatch(WebElement::isDisplayed));
    assertEquals(0, browser.findAll("#new-app-name").size());
    browser.find(testId("funnel-link")).click();
    browser.awaitText(testId("funnel-title"), "Signup");
    assertEquals(0, browser.findAll(testId("edit-funnel")).size());
    browser.screenshot("api-key-read-only-report", Browser.LAPTOP);

    // Revoked through the API: the next page the key asks for signs it out.
    JsonNode keys =
        http.get("/api/v1/tenant/api-keys").bearer(t.managementToken()).send().successJson();
    long keyId = keys.get("api_keys").get(0).get("key_id").asLong();
    assertEquals(
        204,
        http.delete("/api/v1/tenant/api-keys/" + keyId)
            .bearer(t.managementToken())
            .send()
            .status());
    // The page's next call (the apps list, on going back to it) is refused and signs the key out.
    browser.driver().navigate().to(browser.driver().getCurrentUrl().replaceAll("#.*$", "#/"));
    browser.awaitText(".signin .notice", "no longer accepted");
    assertEquals(
        List.of(),
        browser.findAll(testId("funnel-link")),
        "the revoked key's page shows no funnel of app " + t.appId() + " funnel " + funnel);
    browser.assertNoScriptErrors();
  }
}
