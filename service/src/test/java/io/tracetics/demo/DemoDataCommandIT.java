package io.tracetics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsApplication;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.testing.Commands;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestJdbi;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo-data} as a user runs it beside a server: the events land in MariaDB through the
 * importer (a second run stores nothing new, nothing counts toward the quota), the server's loader
 * copies them, and a funnel over them reports decreasing steps and several sources.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DemoDataCommandIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  static final String SIGNUP_FUNNEL =
      """
      {"name": "signup", "window_seconds": 604800, "order": "ordered",
       "steps": [{"event_name": "page_viewed"}, {"event_name": "signed_up"},
                 {"event_name": "project_created"}, {"event_name": "purchased"}],
       "breakdown": "source"}
      """;

  @TempDir Path dir;

  @Test
  void writesTheGeneratedEventsOnceAndAFunnelOverThemMakesSense() throws Exception {
    Http http = new Http(APP.getLocalPort());
    Tenants.TenantApp t = Tenants.create(http);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    DemoDataSet set =
        new DemoDataSet(3_000, 21, 42, today.atStartOfDay(ZoneOffset.UTC).toInstant());
    List<DemoEvent> generated = new DemoDataGenerator().generate(set);
    int n = generated.size();
    String[] args = {
      "demo-data",
      "--app",
      Long.toString(t.appId()),
      "--users",
      "3000",
      "--days",
      "21",
      "--seed",
      "42",
      "--end",
      today.toString()
    };

    Commands.Result first = Commands.run(dir, args);
    assertEquals(0, first.exit(), first.output());
    assertTrue(first.output().contains("Demo data set " + set.key()), first.output());
    assertTrue(
        first.output().contains(String.format("accepted   %,d (new %,d, already stored 0)", n, n)),
        first.output());
    assertTrue(first.output().contains("rejected   0"), first.output());
    assertTrue(first.output().contains("100%"), "the progress bar: " + first.output());

    Jdbi jdbi = TestJdbi.create();
    assertEquals(n, storedIds(jdbi, t.appId(), set.key()));
    assertEquals(n, storedIds(jdbi, t.appId(), ""), "nothing but the generated events");

    Commands.Result again = Commands.run(dir, args);
    assertEquals(0, again.exit(), again.output());
    assertTrue(
        again.output().contains(String.format("accepted   %,d (new 0, already stored %,d)", n, n)),
        again.output());
    assertTrue(again.output().contains("batches    0"), again.output());
    assertEquals(n, storedIds(jdbi, t.appId(), ""));

    // An end in the future is refused before anything is written (events from the future are).
    Commands.Result future =
        Commands.run(dir, "demo-data", "--app", Long.toString(t.appId()), "--end", "2999-01-01");
    assertTrue(future.exit() != 0, future.output());
    assertTrue(
        future.output().contains("error: --end 2999-01-01 is in the future"), future.output());
    assertFalse(future.output().contains("\tat "), "no stack trace: " + future.output());
    assertEquals(n, storedIds(jdbi, t.appId(), ""));

    // History, like an import: nothing counts toward the monthly quota.
    JsonNode usage = http.get("/api/v1/usage").bearer(t.managementToken()).send().json();
    assertEquals(0, usage.get("monthly_events").get("used").asLong(), usage::toString);

    awaitLoaded(t.appId(), n);
    String base = "/api/v1/apps/" + t.appId() + "/funnels";
    Http.Response created = http.post(base).bearer(t.managementToken()).body(SIGNUP_FUNNEL).send();
    assertEquals(201, created.status(), created::toString);
    long id = created.json().get("funnel_id").asLong();
    Http.Response answer = http.get(base + "/" + id + "/report").bearer(t.managementToken()).send();
    assertEquals(200, answer.status(), answer::toString);
    JsonNode report = answer.json();

    List<Long> users = users(report.get("steps"));
    // The sign-up identifies each new user with the visitor's anonymous id: one person each.
    assertEquals(distinctVisitors(generated, "page_viewed"), users.get(0));
    assertTrue(users.get(1) <= distinctUsers(generated, "signed_up"), users::toString);
    for (int step = 1; step < 4; step++) {
      assertTrue(users.get(step) > 0 && users.get(step) < users.get(step - 1), users::toString);
    }
    JsonNode breakdowns = report.get("breakdowns");
    Set<String> sources = new HashSet<>();
    long entered = 0;
    for (JsonNode group : breakdowns) {
      sources.add(group.get("value").asText());
      entered += group.get("steps").get(0).get("users").asLong();
    }
    assertTrue(sources.size() >= 5, breakdowns::toString);
    assertTrue(sources.containsAll(List.of("google", "newsletter", "twitter", "direct")));
    assertEquals(users.get(0), entered, "the groups add up to the total");
  }

  private long storedIds(Jdbi jdbi, long app, String key) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM events WHERE app_id = :app"
                        + " AND client_event_id LIKE :prefix")
                .bind("app", app)
                .bind("prefix", key.isEmpty() ? "%" : "demo-" + key + "-%")
                .mapTo(Long.class)
                .one());
  }

  private void awaitLoaded(long appId, long count) throws InterruptedException {
    AnalyticsStore store = ((TraceticsApplication) APP.getApplication()).analyticsStore();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (store.count(appId) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("loaded " + store.count(appId) + " of " + count + " events");
      }
      Thread.sleep(100);
    }
  }

  private static long distinctUsers(List<DemoEvent> events, String name) {
    return events.stream()
        .filter(e -> e.name().equals(name))
        .map(DemoEvent::user)
        .distinct()
        .count();
  }

  /** Visitors with an event named {@code name}: the anonymous id, also of identified events. */
  private static long distinctVisitors(List<DemoEvent> events, String name) {
    return events.stream()
        .filter(e -> e.name().equals(name))
        .map(e -> String.valueOf(e.metadata().getOrDefault("anonymous_id", e.user())))
        .distinct()
        .count();
  }

  private static List<Long> users(JsonNode steps) {
    List<Long> users = new ArrayList<>();
    steps.forEach(step -> users.add(step.get("users").asLong()));
    return users;
  }
}
