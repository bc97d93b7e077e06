package io.tracetics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tracetics.app.TraceticsApplication;
import io.tracetics.engine.store.AnalyticsStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the funnel report tests share: waiting for events to load, reading users per step. */
public final class Reports {
  private Reports() {}

  /**
   * Waits (at most 30 s) until the app's DuckDB copy of the running service holds {@code count}.
   */
  public static void awaitLoaded(DropwizardAppExtension<?> app, long appId, long count)
      throws InterruptedException {
    AnalyticsStore store = ((TraceticsApplication) app.getApplication()).analyticsStore();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (store.count(appId) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("events not loaded: " + store.count(appId) + " of " + count);
      }
      Thread.sleep(50);
    }
  }

  /** Sends {@code events} to the app through ingest and waits until they are loaded. */
  public static void send(
      DropwizardAppExtension<?> app, Tenants.TenantApp t, List<EventWriter.Event> events)
      throws Exception {
    EventWriter.writeBatch(t.appId(), events, 0, false);
    awaitLoaded(app, t.appId(), events.size());
  }

  /** Saves the funnel {@code definition} (JSON) in the tenant's app; its id. */
  public static long saveFunnel(Http http, Tenants.TenantApp t, String definition) {
    Http.Response created =
        http.post("/api/v1/apps/" + t.appId() + "/funnels")
            .bearer(t.managementToken())
            .body(definition)
            .send();
    if (created.status() != 201) {
      throw new AssertionError("the funnel was not saved: " + created);
    }
    return created.json().get("funnel_id").asLong();
  }

  /** The {@code users} of each step of a report's {@code steps}. */
  public static List<Long> users(JsonNode steps) {
    List<Long> users = new ArrayList<>();
    steps.forEach(step -> users.add(step.get("users").asLong()));
    return users;
  }
}
