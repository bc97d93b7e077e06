package io.tracetics.funnels;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.stats.BenjaminiHochberg;
import io.tracetics.stats.ProportionComparison;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code compare=previous} over real HTTP: two weeks of events with a known change in conversion,
 * the tests chosen for each step, breakdown groups against the rest with adjusted p-values, the
 * 422s, and the cache rows of the saved funnel's reports.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FunnelCompareIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  static final String FUNNEL =
      """
      {"name": "weekly", "window_seconds": 3600, "order": "ordered",
       "steps": [{"event_name": "visit"}, {"event_name": "signup"}, {"event_name": "purchase"}]}
      """;

  /** The first day of the previous week; the current week starts 7 days later. */
  static final Instant START =
      Instant.now().truncatedTo(ChronoUnit.DAYS).minus(15, ChronoUnit.DAYS);

  static final Instant CURRENT = START.plus(7, ChronoUnit.DAYS);
  static final Instant END = CURRENT.plus(7, ChronoUnit.DAYS);

  Http http() {
    return new Http(APP.getLocalPort());
  }

  /**
   * 200 visitors a week, split by source (80 ads, 80 seo, 25 email, 15 without), each on day i % 7
   * of its week. This week 107 sign up (ads 60, seo 30, email 9, none 8) and 6 purchase; the week
   * before 60 sign up and 1 purchases.
   */
  static List<EventWriter.Event> events() {
    List<EventWriter.Event> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String source = source(i);
      boolean signup =
          switch (source == null ? "none" : source) {
            case "ads" -> i % 4 != 0;
            case "seo" -> (i - 80) % 8 < 3;
            case "email" -> (i - 160) % 3 == 0;
            default -> (i - 185) % 2 == 0;
          };
      boolean purchase = signup && (i % 20 == 1 && i < 80 || i == 80 || i == 160);
      journey(events, "cur-" + i, CURRENT, i, source, signup, purchase);
      boolean before =
          switch (source == null ? "none" : source) {
            case "ads" -> i % 4 == 1;
            case "seo" -> (i - 80) % 4 == 1;
            case "email" -> (i - 160) % 5 == 0;
            default -> true;
          };
      journey(events, "prev-" + i, START, i, source, before, i == 1);
    }
    return events;
  }

  private static String source(int i) {
    return i < 80 ? "ads" : i < 160 ? "seo" : i < 185 ? "email" : null;
  }

  private static void journey(
      List<EventWriter.Event> events,
      String user,
      Instant week,
      int i,
      String source,
      boolean signup,
      boolean purchase) {
    long visit = week.plus(i % 7, ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS).toEpochMilli();
    visit += i * 60_000L;
    events.add(
        new EventWriter.Event(
            user, "visit", visit, source == null ? null : "{\"source\": \"" + source + "\"}"));
    if (signup) {
      events.add(new EventWriter.Event(user, "signup", visit + 600_000, null));
      if (purchase) {
        events.add(new EventWriter.Event(user, "purchase", visit + 1_800_000, null));
      }
    }
  }

  @Test
  void comparesWithThePreviousWeek() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    List<EventWriter.Event> events = events();
    Reports.send(APP, t, events);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    long id = Reports.saveFunnel(http, t, FUNNEL);
    String range = "from=" + CURRENT + "&to=" + END;
    String path = base + "/" + id + "/report?" + range + "&compare=previous";

    Http.Response answer = http.get(path).bearer(t.managementToken()).send();
    assertEquals(200, answer.status(), answer::toString);
    JsonNode report = answer.json();
    assertEquals(List.of(200L, 107L, 6L), Reports.users(report.get("steps")));
    assertEquals(List.of(200L, 60L, 1L), Reports.users(report.get("previous").get("steps")));
    assertFalse(report.get("cached").asBoolean());
    JsonNode compare = report.get("compare");
    assertEquals("previous", compare.get("with").asText());
    assertEquals(CURRENT.toString(), compare.get("from").asText());
    assertEquals(START.toString(), compare.get("previous_from").asText());
    assertEquals(CURRENT.toString(), compare.get("previous_to").asText());

    JsonNode first = report.get("steps").get(0).get("comparison");
    assertEquals(200, first.get("previous_users").asLong());
    assertEquals(0.0, first.get("difference").asDouble());
    assertTrue(first.get("significance").isNull());

    // Sign-up: 53.5% against 30%, large counts: the z-test, clearly significant.
    JsonNode signup = report.get("steps").get(1).get("comparison");
    assertEquals(60, signup.get("previous_users").asLong());
    assertEquals(0.535, signup.get("conversion_from_first").asDouble(), 1e-12);
    assertEquals(0.3, signup.get("previous_conversion_from_first").asDouble(), 1e-12);
    assertEquals(0.235, signup.get("difference").asDouble(), 1e-12);
    assertEquals("z_test", signup.get("significance").get("method").asText());
    assertEquals(
        ProportionComparison.zTest(107, 200, 60, 200),
        signup.get("significance").get("p_value").asDouble(),
        1e-15);
    assertTrue(signup.get("significance").get("p_value").asDouble() < 0.0001);

    // Purchase: 6 and 1 of 200, 3.5 expected: Fisher's exact test, not significant.
    JsonNode purchase = report.get("steps").get(2).get("comparison");
    assertEquals(1, purchase.get("previous_users").asLong());
    assertEquals(0.025, purchase.get("difference").asDouble(), 1e-12);
    assertEquals("fisher_exact", purchase.get("significance").get("method").asText());
    assertEquals(
        ProportionComparison.fisherExact(6, 200, 1, 200),
        purchase.get("significance").get("p_value").asDouble(),
        1e-15);
    assertTrue(purchase.get("significance").get("p_value").asDouble() > 0.05);

    // Asked again: the comparison's own cache row.
    JsonNode again = http.get(path).bearer(t.managementToken()).send().json();
    assertTrue(again.get("cached").asBoolean(), again::toString);
    assertTrue(again.get("previous").get("cached").asBoolean());
    assertEquals(report.get("steps"), again.get("steps"));

    // The previous week is cached as the report of its own range.
    JsonNode previousWeek =
        http.get(base + "/" + id + "/report?from=" + START + "&to=" + CURRENT)
            .bearer(t.managementToken())
            .send()
            .json();
    assertTrue(previousWeek.get("cached").asBoolean(), previousWeek::toString);
    assertEquals(report.get("previous").get("steps"), previousWeek.get("steps"));

    // The cache rows: the same range with and without compare are two keys and two results.
    Map<String, String> rows = cacheRows(id);
    String plainKey =
        "{\"from\":\""
            + CURRENT
            + "\",\"to\":\""
            + END
            + "\",\"breakdown\":null,\"interval\":null,\"mode\":null}";
    String comparedKey = plainKey.replace("}", ",\"compare\":\"previous\"}");
    assertTrue(rows.containsKey(plainKey), rows::toString);
    assertTrue(rows.containsKey(comparedKey), rows::toString);
    assertNotEquals(rows.get(plainKey), rows.get(comparedKey));
    JsonNode plainRow = APP.getObjectMapper().readTree(rows.get(plainKey));
    JsonNode comparedRow = APP.getObjectMapper().readTree(rows.get(comparedKey));
    assertTrue(plainRow.get("previous") == null);
    assertTrue(plainRow.get("steps").get(1).get("comparison") == null);
    assertEquals(List.of(200L, 60L, 1L), Reports.users(comparedRow.get("previous").get("steps")));

    // An unsaved definition with the same range compares the same way.
    String adHoc =
        FUNNEL.replace(
            "\"order\": \"ordered\",",
            "\"order\": \"ordered\", \"from\": \""
                + CURRENT
                + "\", \"to\": \""
                + END
                + "\", \"compare\": \"previous\",");
    JsonNode unsaved =
        http.post(base + "/report").bearer(t.managementToken()).body(adHoc).send().json();
    assertEquals(report.get("steps"), unsaved.get("steps"));
    assertEquals(report.get("previous").get("steps"), unsaved.get("previous").get("steps"));
    assertEquals(compare, unsaved.get("compare"));

    // One day against the day before: 29 and 28 entrants, too few to test.
    Instant day = CURRENT.plus(1, ChronoUnit.DAYS);
    JsonNode small =
        http.get(base + "/" + id + "/report?from=" + CURRENT + "&to=" + day + "&compare=previous")
            .bearer(t.managementToken())
            .send()
            .json();
    assertEquals(29, small.get("steps").get(0).get("users").asLong(), small::toString);
    assertEquals(28, small.get("previous").get("steps").get(0).get("users").asLong());
    for (int k = 1; k < 3; k++) {
      JsonNode significance = small.get("steps").get(k).get("comparison").get("significance");
      assertEquals("insufficient_sample", significance.get("method").asText());
      assertTrue(significance.get("p_value").isNull());
    }
  }

  @Test
  void breakdownGroupsAgainstTheRestWithAdjustedPValues() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    List<EventWriter.Event> events = events();
    Reports.send(APP, t, events);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    long id = Reports.saveFunnel(http, t, FUNNEL);
    JsonNode report =
        http.get(
                base
                    + "/"
                    + id
                    + "/report?from="
                    + CURRENT
                    + "&to="
                    + END
                    + "&breakdown=source&compare=previous")
            .bearer(t.managementToken())
            .send()
            .json();
    Map<String, JsonNode> groups = new HashMap<>();
    report.get("breakdowns").forEach(g -> groups.put(g.get("value").asText("(none)"), g));
    assertEquals(List.of(80L, 60L, 4L), Reports.users(groups.get("ads").get("steps")));
    assertEquals(List.of(80L, 30L, 1L), Reports.users(groups.get("seo").get("steps")));
    assertEquals(List.of(25L, 9L, 1L), Reports.users(groups.get("email").get("steps")));
    assertEquals(List.of(15L, 8L, 0L), Reports.users(groups.get("(none)").get("steps")));
    // The previous week has its own groups, and the totals are compared as without a breakdown.
    assertEquals(4, report.get("previous").get("breakdowns").size());
    assertEquals(60, report.get("steps").get(1).get("comparison").get("previous_users").asLong());

    // Sign-up: ads 60/80 against the rest's 47/120, seo 30/80 against 77/120 (z-tests, adjusted
    // as a family of two); email (25) and no source (15) are too small and left out.
    JsonNode ads = groups.get("ads").get("steps").get(1).get("comparison");
    JsonNode seo = groups.get("seo").get("steps").get(1).get("comparison");
    assertEquals(47, ads.get("rest_users").asLong());
    assertEquals(0.75, ads.get("conversion_from_first").asDouble(), 1e-12);
    assertEquals(47.0 / 120, ads.get("rest_conversion_from_first").asDouble(), 1e-12);
    assertEquals(0.75 - 47.0 / 120, ads.get("difference").asDouble(), 1e-12);
    double pAds = ProportionComparison.zTest(60, 80, 47, 120);
    double pSeo = ProportionComparison.zTest(30, 80, 77, 120);
    double[] adjusted = BenjaminiHochberg.adjust(pAds, pSeo);
    assertEquals("z_test", ads.get("significance").get("method").asText());
    assertEquals(pAds, ads.get("significance").get("p_value").asDouble(), 1e-15);
    assertEquals(adjusted[0], ads.get("significance").get("adjusted_p_value").asDouble(), 1e-15);
    assertEquals(adjusted[1], seo.get("significance").get("adjusted_p_value").asDouble(), 1e-15);
    assertTrue(adjusted[0] < 0.05 && adjusted[1] < 0.05, ads::toString);
    for (String small : List.of("email", "(none)")) {
      JsonNode s = groups.get(small).get("steps").get(1).get("comparison").get("significance");
      assertEquals("insufficient_sample", s.get("method").asText(), small);
      assertTrue(s.get("p_value").isNull() && s.get("adjusted_p_value").isNull(), small);
    }
    // Purchase: 4/80 against 2/120 and 1/80 against 5/120, Fisher's test for both.
    JsonNode adsPurchase = groups.get("ads").get("steps").get(2).get("comparison");
    assertEquals("fisher_exact", adsPurchase.get("significance").get("method").asText());
    double[] purchaseAdjusted =
        BenjaminiHochberg.adjust(
            ProportionComparison.fisherExact(4, 80, 2, 120),
            ProportionComparison.fisherExact(1, 80, 5, 120));
    assertEquals(
        purchaseAdjusted[0],
        adsPurchase.get("significance").get("adjusted_p_value").asDouble(),
        1e-15);
    assertTrue(
        groups.get("ads").get("steps").get(0).get("comparison").get("significance").isNull());
  }

  @Test
  void compareNeedsPreviousAndARange() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    long id = Reports.saveFunnel(http, t, FUNNEL);
    String report = base + "/" + id + "/report";

    JsonNode open =
        assertError(
            http.get(report + "?compare=previous").bearer(t.managementToken()).send(),
            422,
            "invalid_funnel");
    assertViolation(open, "compare_needs_range");
    assertViolation(
        assertError(
            http.get(report + "?from=" + CURRENT + "&compare=previous")
                .bearer(t.managementToken())
                .send(),
            422,
            "invalid_funnel"),
        "compare_needs_range");
    assertViolation(
        assertError(
            http.get(report + "?from=" + CURRENT + "&to=" + END + "&compare=last_year")
                .bearer(t.managementToken())
                .send(),
            422,
            "invalid_funnel"),
        "invalid_compare");
    assertViolation(
        assertError(
            http.get(report + "?from=" + CURRENT + "&to=" + END + "&compare=")
                .bearer(t.managementToken())
                .send(),
            422,
            "invalid_funnel"),
        "invalid_compare");

    // The same rules for an unsaved definition, whose body carries the report's parameters.
    assertViolation(
        assertError(
            http.post(base + "/report")
                .bearer(t.managementToken())
                .body(FUNNEL.replace("\"order\": \"ordered\",", "\"compare\": \"previous\","))
                .send(),
            422,
            "invalid_funnel"),
        "compare_needs_range");
    assertViolation(
        assertError(
            http.post(base + "/report")
                .bearer(t.managementToken())
                .body(FUNNEL.replace("\"order\": \"ordered\",", "\"compare\": \"next\","))
                .send(),
            422,
            "invalid_funnel"),
        "invalid_compare");

    // A saved funnel keeps no compare; nothing is stored.
    assertViolation(
        assertError(
            http.post(base)
                .bearer(t.managementToken())
                .body(FUNNEL.replace("\"order\": \"ordered\",", "\"compare\": \"previous\","))
                .send(),
            422,
            "invalid_funnel"),
        "compare_not_saved");
    assertEquals(1, http.get(base).bearer(t.managementToken()).send().json().get("funnels").size());
    assertTrue(cacheRows(id).isEmpty(), "a refused report caches nothing");
  }

  /**
   * Two reports that differ only by {@code breakdown_source} are two cache rows: the second is not
   * the first's answer.
   */
  @Test
  void breakdownSourceIsPartOfTheCacheKey() throws Exception {
    Http http = http();
    Tenants.TenantApp t = Tenants.create(http);
    long t0 = System.currentTimeMillis() - 600_000;
    List<EventWriter.Event> events = new ArrayList<>();
    for (String user : List.of("ana", "bo", "cy")) {
      events.add(new EventWriter.Event(user, "visit", t0, "{\"plan\": \"free\"}"));
      events.add(new EventWriter.Event(user, "signup", t0 + 1000, null));
    }
    Reports.send(APP, t, events);
    Http.Response identified =
        http.post("/api/v1/identify")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .body("{\"user_identifier\": \"ana\", \"traits\": {\"plan\": \"pro\"}}")
            .send();
    assertEquals(200, identified.status(), identified::toString);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    String byPlan = FUNNEL.replace("\"order\": \"ordered\",", "\"breakdown\": \"plan\",");
    long id =
        http.post(base)
            .bearer(t.managementToken())
            .body(byPlan)
            .send()
            .json()
            .get("funnel_id")
            .asLong();
    // Wait for the trait to be loaded (an unsaved report: nothing cached meanwhile).
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!groupValues(
            http.post(base + "/report")
                .bearer(t.managementToken())
                .body(
                    byPlan.replace(
                        "\"breakdown\"", "\"breakdown_source\": \"user\", \"breakdown\""))
                .send()
                .json())
        .contains("pro")) {
      assertTrue(System.nanoTime() < deadline, "the trait was never loaded");
      Thread.sleep(100);
    }

    String report = base + "/" + id + "/report?breakdown_source=";
    JsonNode byEvent = http.get(report + "event").bearer(t.managementToken()).send().json();
    assertEquals(List.of("free"), groupValues(byEvent));
    JsonNode byTrait = http.get(report + "user").bearer(t.managementToken()).send().json();
    assertFalse(byTrait.get("cached").asBoolean(), byTrait::toString);
    assertEquals(List.of("(none)", "pro"), groupValues(byTrait));
    JsonNode byEventAgain = http.get(report + "event").bearer(t.managementToken()).send().json();
    assertTrue(byEventAgain.get("cached").asBoolean());
    assertEquals(List.of("free"), groupValues(byEventAgain));
    JsonNode byTraitAgain = http.get(report + "user").bearer(t.managementToken()).send().json();
    assertTrue(byTraitAgain.get("cached").asBoolean());
    assertEquals(List.of("(none)", "pro"), groupValues(byTraitAgain));
  }

  private static List<String> groupValues(JsonNode report) {
    List<String> values = new ArrayList<>();
    report.get("breakdowns").forEach(g -> values.add(g.get("value").asText("(none)")));
    return values;
  }

  private static void assertViolation(JsonNode error, String code) {
    JsonNode violation = error.get("violations").get(0);
    assertEquals("compare", violation.get("field").asText(), error::toString);
    assertEquals(code, violation.get("code").asText(), error::toString);
    assertEquals(1, error.get("violations").size(), error::toString);
  }

  /** The funnel's cache rows: their parameters' canonical JSON -> the stored result. */
  private static Map<String, String> cacheRows(long funnelId) throws Exception {
    Map<String, String> rows = new HashMap<>();
    try (Connection c = TestServers.get().connect();
        PreparedStatement select =
            c.prepareStatement("SELECT params, result FROM funnel_results WHERE funnel_id = ?")) {
      select.setLong(1, funnelId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return rows;
  }
}
