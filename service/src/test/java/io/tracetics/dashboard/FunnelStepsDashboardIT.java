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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The funnel editor and report with steps of several alternatives and a name, per-step time limits
 * and account-level funnels ({@code count_by}), in headless Chromium against the real application:
 * the events sent through the ingest API decide every number the page must show.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FunnelStepsDashboardIT extends BrowserTest {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http() {
    return new Http(APP.getLocalPort());
  }

  /**
   * Eleven people view the product. Four check out on the web, three in the iOS app and two in the
   * Play store app (which no alternative matches); two leave. Of the web buyers three pay, of the
   * iOS ones one. So: view 11, checkout 7 (web 4, iOS app 3), paid 4.
   */
  static List<Journeys.Event> checkoutEvents() {
    long base = hoursAgo(30);
    List<Journeys.Event> events = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      String user = "buyer-" + i;
      long view = base + i * 60_000L;
      events.add(new Journeys.Event("view", user, view, Map.of()));
      if (i < 4) {
        events.add(new Journeys.Event("checkout_web", user, view + 20_000, Map.of()));
        if (i < 3) {
          events.add(new Journeys.Event("paid", user, view + 40_000, Map.of()));
        }
      } else if (i < 9) {
        String store = i < 7 ? "ios" : "play";
        events.add(new Journeys.Event("checkout_app", user, view + 20_000, Map.of("store", store)));
        if (i == 4) {
          events.add(new Journeys.Event("paid", user, view + 40_000, Map.of()));
        }
      }
    }
    return events;
  }

  @Test
  void aStepWithAlternativesShowsTheUsersOfEachAlternative() throws Exception {
    Tenants.TenantApp t = signedInWith(checkoutEvents());
    browser.find("[data-app-id='" + t.appId() + "'] " + testId("new-funnel")).click();
    browser.awaitVisible(testId("funnel-name")).sendKeys("Checkout anywhere");
    List<WebElement> stepInputs = browser.findAll(testId("step-event"));
    stepInputs.get(0).sendKeys("view");
    stepInputs.get(1).sendKeys("checkout_web");
    browser.findAll(testId("step-name")).get(1).sendKeys("checkout");

    // "or another event" adds an empty alternative: the API's message appears next to it.
    browser.findAll(testId("add-alternative")).get(1).click();
    browser.awaitText(
        "[data-field='steps[1].any_of[1].event_name'] .field-error", "must not be empty");
    assertEquals(
        "true",
        browser
            .find("[data-field='steps[1].any_of[1].event_name'] input")
            .getAttribute("aria-invalid"));
    browser.find(testId("alternative-event")).sendKeys("checkout_app");
    // The second alternative's own filter: its fields are named after any_of[1].
    browser.findAll(testId("add-filter")).get(2).click();
    String filter = "[data-field='steps[1].any_of[1].filters[0]']";
    // The property suggestions come from the app's events.
    browser.await(d -> !browser.findAll("#property-names option[value='store']").isEmpty());
    browser.awaitVisible(filter + " .filter-property").sendKeys("store");
    browser.find(filter + " .filter-value").sendKeys("ios");
    // A third alternative, removed again.
    browser.findAll(testId("add-alternative")).get(1).click();
    browser.await(d -> browser.findAll(testId("alternative-event")).size() == 2);
    browser.findAll(testId("alternative-event")).get(1).sendKeys("checkout_kiosk");
    browser.findAll(testId("remove-alternative")).get(1).click();
    browser.await(d -> browser.findAll(testId("alternative-event")).size() == 1);
    browser.find(testId("add-step")).click();
    browser.findAll(testId("step-event")).get(2).sendKeys("paid");
    browser.awaitText(testId("preview-status"), "Valid. Preview: 11 users entered");
    browser.screenshot("funnel-editor-alternatives", Browser.LAPTOP);
    browser.find(testId("save-funnel")).click();

    // The report: the step's name, and under its bar the users of each alternative.
    browser.awaitText(testId("funnel-title"), "Checkout anywhere");
    browser.awaitVisible(testId("funnel-chart"));
    String chart = testId("funnel-chart");
    List<WebElement> bars = browser.findAll(chart + " g.step");
    assertEquals(List.of("11", "7", "4"), attributes(bars, "data-users"));
    assertEquals(
        List.of("1. view", "2. checkout", "3. paid"),
        texts(browser.findAll(chart + " " + testId("step-label"))));
    List<WebElement> alternatives = browser.findAll(chart + " g.alternative[data-step='1']");
    assertEquals(List.of("4", "3"), attributes(alternatives, "data-users"));
    assertTrue(
        alternatives.get(1).getAttribute("aria-label").contains("checkout_app where store = ios"),
        alternatives.get(1).getAttribute("aria-label"));
    assertTrue(
        alternatives.get(1).getAttribute("aria-label").contains("3 users took the step this way"),
        alternatives.get(1).getAttribute("aria-label"));
    assertTrue(browser.findAll(chart + " g.alternative[data-step='0']").isEmpty());
    List<WebElement> rows = browser.findAll(testId("alternative-row"));
    assertEquals(2, rows.size());
    assertEquals("4", cell(rows.get(0), "users"));
    assertEquals("3", cell(rows.get(1), "users"));
    assertTrue(rows.get(1).getText().contains("checkout_app where store = ios"));
    assertTrue(cell(rows.get(0), "share").startsWith("57.1% of the step's 7 users"));
    WebElement checkoutRow = browser.find(testId("step-row") + "[data-step='1']");
    assertTrue(checkoutRow.getText().startsWith("2. checkout"), checkoutRow.getText());
    assertEquals("7", cell(checkoutRow, "users"));

    // The saved definition: the named step has both alternatives, the others are plain.
    long funnelId = Journeys.onlyFunnelId(http(), t);
    JsonNode saved =
        http()
            .get("/api/v1/apps/" + t.appId() + "/funnels/" + funnelId)
            .bearer(t.managementToken())
            .send()
            .json();
    JsonNode step = saved.get("steps").get(1);
    assertEquals("checkout", step.get("name").asText());
    assertEquals(2, step.get("any_of").size(), step::toString);
    assertEquals("store", step.at("/any_of/1/filters/0/property").asText());
    assertEquals("view", saved.at("/steps/0/event_name").asText());
    assertFalse(saved.get("steps").get(0).has("any_of"));
    // A fresh load of the report shows the same (and no "created" notice for the screenshot).
    browser.driver().navigate().refresh();
    browser.awaitVisible(chart + " g.alternative[data-step='1']");
    assertEquals(
        List.of("4", "3"),
        attributes(browser.findAll(chart + " g.alternative[data-step='1']"), "data-users"));
    browser.screenshot("funnel-alternatives-report", Browser.LAPTOP);
    browser.screenshot("funnel-alternatives-report-phone", Browser.PHONE);
    browser.driver().manage().window().setSize(Browser.LAPTOP);

    // The people of the named step say its name.
    browser.find(chart + " g.step[data-step='1'] rect.bar").click();
    browser.await(d -> browser.find(testId("people-total")).getText().equals("7"));
    assertTrue(
        browser.find(testId("people-summary")).getText().contains("step 2 “checkout”"),
        browser.find(testId("people-summary")).getText());
    browser.assertNoScriptErrors();
  }

  /**
   * Four people sign up and buy 2 min, 10 min, 30 min and 3 h later; a fifth never buys. With a
   * one-day window all four buy; within 15 minutes of signing up only two.
   */
  static List<Journeys.Event> timedEvents() {
    long base = hoursAgo(30);
    long[] delays = {120, 600, 1800, 3 * 3600};
    List<Journeys.Event> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String user = "timed-" + i;
      long signup = base + i * 60_000L;
      events.add(new Journeys.Event("signup", user, signup, Map.of()));
      if (i < delays.length) {
        events.add(new Journeys.Event("purchase", user, signup + delays[i] * 1000, Map.of()));
      }
    }
    return events;
  }

  @Test
  void aStepTimeLimitChangesTheNumbers() throws Exception {
    Tenants.TenantApp t = signedInWith(timedEvents());
    long funnelId =
        created(
            t,
            "{\"name\": \"Quick buyers\", \"window_seconds\": 86400, \"steps\":"
                + " [{\"event_name\": \"signup\"}, {\"event_name\": \"purchase\"}]}");
    String page = "http://127.0.0.1:" + APP.getLocalPort() + "/#/apps/" + t.appId();
    browser.driver().get(page + "/funnels/" + funnelId);
    browser.awaitVisible(testId("funnel-chart"));
    String chart = testId("funnel-chart");
    assertEquals(List.of("5", "4"), attributes(browser.findAll(chart + " g.step"), "data-users"));

    browser.find(testId("edit-funnel")).click();
    browser.awaitText(testId("preview-status"), "Valid.");
    assertTrue(
        browser.findAll(testId("step-within")).size() == 1, "no time limit on the first step");
    WebElement within = browser.find(testId("step-within"));
    // Longer than the one-day window: the API's message next to the field.
    within.sendKeys("2");
    new Select(browser.find(testId("step-within-unit"))).selectByValue("days");
    browser.awaitText(
        "[data-field='steps[1].within_seconds'] .field-error", "must not be longer than");
    // An unordered funnel has no previous step: the field is off, with a hint.
    new Select(browser.find("#f-order")).selectByValue("unordered");
    browser.await(d -> !browser.find(testId("step-within")).isEnabled());
    browser.awaitText(testId("within-hint"), "need an order of steps");
    new Select(browser.find("#f-order")).selectByValue("ordered");
    browser.await(d -> browser.find(testId("step-within")).isEnabled());
    within.sendKeys(Keys.chord(Keys.CONTROL, "a"), "15");
    new Select(browser.find(testId("step-within-unit"))).selectByValue("minutes");
    browser.awaitText(testId("preview-status"), "Valid. Preview: 5 users entered, 40% converted");
    browser.find(testId("save-funnel")).click();

    browser.awaitText(testId("flash"), "Saved version 2");
    browser.awaitVisible(chart);
    assertEquals(List.of("5", "2"), attributes(browser.findAll(chart + " g.step"), "data-users"));
    assertEquals("within 15 min", browser.find(chart + " " + testId("step-limit")).getText());
    assertEquals(
        "· within 15 min of step 1", browser.find(testId("step-row-limit")).getText().trim());
    JsonNode saved =
        http()
            .get("/api/v1/apps/" + t.appId() + "/funnels/" + funnelId)
            .bearer(t.managementToken())
            .send()
            .json();
    assertEquals(900, saved.at("/steps/1/within_seconds").asLong(), saved::toString);
    browser.screenshot("funnel-time-limit-report", Browser.LAPTOP);
    browser.assertNoScriptErrors();
  }

  /**
   * Who did what, by company: at Acme Alice views and Bob checks out; at Globex Carol does both; at
   * Initech Dan only views; Eve has no company (her view is an unassigned step event). People: 4
   * view, 1 (Carol) checks out after viewing. Accounts: 3 view (Acme, Globex, Initech), 2 check
   * out.
   */
  static List<Journeys.Event> accountEvents() {
    long base = hoursAgo(30);
    List<Journeys.Event> events = new ArrayList<>();
    events.add(new Journeys.Event("view", "alice", base, Map.of("company_id", "acme")));
    events.add(
        new Journeys.Event("checkout_web", "bob", base + 60_000, Map.of("company_id", "acme")));
    events.add(new Journeys.Event("view", "carol", base, Map.of("company_id", "globex")));
    events.add(
        new Journeys.Event("checkout_web", "carol", base + 60_000, Map.of("company_id", "globex")));
    events.add(new Journeys.Event("view", "dan", base, Map.of("company_id", "initech")));
    events.add(new Journeys.Event("view", "eve", base, Map.of()));
    return events;
  }

  @Test
  void aCountByFunnelCountsAccounts() throws Exception {
    Tenants.TenantApp t = signedInWith(accountEvents());
    browser.find("[data-app-id='" + t.appId() + "'] " + testId("new-funnel")).click();
    browser.awaitVisible(testId("funnel-name")).sendKeys("Accounts that check out");
    List<WebElement> stepInputs = browser.findAll(testId("step-event"));
    stepInputs.get(0).sendKeys("view");
    stepInputs.get(1).sendKeys("checkout_web");
    browser.awaitText(testId("preview-status"), "Valid. Preview: 4 users entered, 25% converted");
    new Select(browser.find(testId("count-mode"))).selectByValue("property");
    browser.awaitText(
        "[data-field='count_by.property'] .field-error", "property name must not be empty");
    browser.find(testId("count-property")).sendKeys("company_id");
    browser.awaitText(
        testId("preview-status"), "Valid. Preview: 3 accounts entered, 66.7% converted");
    browser.find(testId("save-funnel")).click();

    browser.awaitText(testId("funnel-title"), "Accounts that check out");
    browser.awaitVisible(testId("funnel-chart"));
    String chart = testId("funnel-chart");
    assertEquals(List.of("3", "2"), attributes(browser.findAll(chart + " g.step"), "data-users"));
    String note = browser.find(testId("count-by-note")).getText();
    assertTrue(note.startsWith("Counts accounts by company_id"), note);
    assertTrue(note.contains("1 step event without company_id is left out"), note);
    assertTrue(
        browser.find("main .page-head").getText().contains("accounts by company_id"),
        browser.find("main .page-head").getText());
    assertEquals("Accounts", browser.findAll(testId("steps-table") + " thead th").get(1).getText());
    JsonNode report =
        http()
            .get(
                "/api/v1/apps/"
                    + t.appId()
                    + "/funnels/"
                    + Journeys.onlyFunnelId(http(), t)
                    + "/report")
            .bearer(t.managementToken())
            .send()
            .json();
    assertEquals("company_id", report.at("/count_by/property").asText(), report::toString);
    assertEquals(1, report.at("/count_by/unassigned_events").asLong(), report::toString);

    // The people panel lists company_id values, without person links.
    browser.find(chart + " g.step[data-step='1'] rect.bar").click();
    browser.await(d -> browser.findAll(testId("person-row")).size() == 2);
    assertEquals("Accounts: company_id values", browser.find(testId("people-title")).getText());
    assertTrue(
        browser
            .find(testId("people-summary"))
            .getText()
            .startsWith("2 accounts (company_id values) reached step 2"),
        browser.find(testId("people-summary")).getText());
    Set<String> shown = new TreeSet<>();
    browser
        .findAll(testId("person-row"))
        .forEach(r -> shown.add(r.getAttribute("data-identifier")));
    assertEquals(Set.of("acme", "globex"), shown);
    assertTrue(browser.findAll(testId("person-link")).isEmpty(), "an account is not a person");
    assertTrue(browser.findAll(testId("save-cohort")).isEmpty(), "a cohort holds people");
    browser.screenshot("funnel-accounts-report", Browser.LAPTOP);
    browser.assertNoScriptErrors();
  }

  private static long hoursAgo(int hours) {
    return Instant.now()
        .minus(hours, ChronoUnit.HOURS)
        .truncatedTo(ChronoUnit.MINUTES)
        .toEpochMilli();
  }

  private long created(Tenants.TenantApp t, String definition) {
    Http.Response response =
        http()
            .post("/api/v1/apps/" + t.appId() + "/funnels")
            .bearer(t.managementToken())
            .body(definition)
            .send();
    assertEquals(201, response.status(), response::toString);
    return response.json().get("funnel_id").asLong();
  }

  private static List<String> attributes(List<WebElement> elements, String name) {
    return elements.stream().map(e -> e.getAttribute(name)).toList();
  }

  private static List<String> texts(List<WebElement> elements) {
    return elements.stream().map(WebElement::getText).toList();
  }

  private static String cell(WebElement row, String column) {
    return row.findElement(By.cssSelector("[data-col='" + column + "']")).getText();
  }

  /** A new tenant that has sent {@code events}, signed in on the dashboard's apps page. */
  private Tenants.TenantApp signedInWith(List<Journeys.Event> events) throws InterruptedException {
    Tenants.TenantApp t = Tenants.create(http());
    Journeys.send(APP, t, events);
    browser.openSignedOut(APP.getLocalPort());
    browser.signIn(t.managementToken());
    browser.awaitVisible(testId("app-card"));
    return t;
  }
}
