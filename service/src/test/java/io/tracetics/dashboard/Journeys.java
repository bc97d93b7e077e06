package io.tracetics.dashboard;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events the dashboard tests send through the ingest API, and what an ordered funnel over them
 * must show, worked out here independently of the engine (each user's attempts walked greedily).
 */
final class Journeys {
  static final long WINDOW_SECONDS = 3600;
  static final Set<String> SIGNUP_PLANS = Set.of("pro", "team");
  private static final String[] SOURCES = {"ads", "seo", "email"};

  /** One event as sent: name, user, time, metadata. */
  record Event(String name, String user, long timeMs, Map<String, Object> metadata) {
    Map<String, Object> json() {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("event_name", name);
      event.put("user_identifier", user);
      event.put("timestamp", timeMs);
      if (!metadata.isEmpty()) {
        event.put("metadata", metadata);
      }
      return event;
    }
  }

  private Journeys() {}

  /**
   * 40 users over three days: all visit; most sign up (some on the free plan, which the funnel's
   * filter leaves out); half of those purchase, one of them too late for the 1-hour window.
   */
  static List<Event> events() {
    long base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS).toEpochMilli();
    base += 9 * 3_600_000L;
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String user = "user-" + i;
      long visit = base + (i % 3) * 86_400_000L + i * 60_000L;
      Map<String, Object> source = new LinkedHashMap<>();
      if (i % 4 != 3) {
        source.put("source", SOURCES[(i / 2) % 3]);
      }
      events.add(new Event("visit", user, visit, source));
      events.add(new Event("page_view", user, visit + 10_000, Map.of("path", "/pricing")));
      if (i % 5 == 4) {
        continue;
      }
      long signup = visit + (30 + i * 5) * 1000L;
      String plan = i % 3 == 2 ? "free" : (i % 2 == 0 ? "pro" : "team");
      events.add(new Event("signup", user, signup, Map.of("plan", plan)));
      if (i == 10) {
        events.add(new Event("purchase", user, visit + 2 * 3_600_000L, Map.of()));
      } else if (i % 2 == 0) {
        events.add(new Event("purchase", user, signup + (60 + i * 13) * 1000L, Map.of()));
      }
    }
    return events;
  }

  /** The signed-in user of the person page test (user-7 of {@link #events()}). */
  static final String MEMBER = "user-7";

  /**
   * An anonymous id the person page test links to {@link #MEMBER}: a slash, a space, a non-ASCII.
   */
  static final String VISITOR = "visitor/7 ü";

  /**
   * {@link #VISITOR} reading the docs before signing up: 55 page views, one a minute, two days ago
   * (more than one page of the person's timeline with {@link #MEMBER}'s events).
   */
  static List<Event> visitorBrowsing() {
    long base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS).toEpochMilli();
    List<Event> events = new ArrayList<>();
    for (int k = 0; k < 55; k++) {
      events.add(new Event("page_view", VISITOR, base + k * 60_000L, Map.of("path", "/docs/" + k)));
    }
    return events;
  }

  /**
   * {@code count} people who visit once (from the ads, a day before the others) and leave: with
   * {@link #events()} more people at the first step than one page of a people list shows.
   */
  static List<Event> passersBy(int count) {
    long base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(4, ChronoUnit.DAYS).toEpochMilli();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(new Event("visit", "passer-" + i, base + i * 60_000L, Map.of("source", "ads")));
    }
    return events;
  }

  /** The first day of {@link #twoWeeks()}' earlier week (00:00 UTC, 15 days ago). */
  static Instant twoWeeksStart() {
    return Instant.now().truncatedTo(ChronoUnit.DAYS).minus(15, ChronoUnit.DAYS);
  }

  /**
   * Two weeks of visit -> signup -> purchase, 200 visitors a week (80 from the ads, 80 from seo, 25
   * from email, 15 without a source), visitor i on day i % 7 of its week. The later week 107 sign
   * up (ads 60, seo 30, email 9, none 8) and 6 purchase; the earlier one 60 sign up and 1
   * purchases.
   */
  static List<Event> twoWeeks() {
    Instant earlier = twoWeeksStart();
    Instant later = earlier.plus(7, ChronoUnit.DAYS);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String source = i < 80 ? "ads" : i < 160 ? "seo" : i < 185 ? "email" : null;
      int group = i < 80 ? 0 : i < 160 ? 1 : i < 185 ? 2 : 3;
      boolean signup =
          switch (group) {
            case 0 -> i % 4 != 0;
            case 1 -> (i - 80) % 8 < 3;
            case 2 -> (i - 160) % 3 == 0;
            default -> (i - 185) % 2 == 0;
          };
      boolean purchase = signup && (i % 20 == 1 && i < 80 || i == 80 || i == 160);
      week(events, "now-" + i, later, i, source, signup, purchase);
      boolean before =
          switch (group) {
            case 0 -> i % 4 == 1;
            case 1 -> (i - 80) % 4 == 1;
            case 2 -> (i - 160) % 5 == 0;
            default -> true;
          };
      week(events, "before-" + i, earlier, i, source, before, i == 1);
    }
    return events;
  }

  private static void week(
      List<Event> events,
      String user,
      Instant week,
      int i,
      String source,
      boolean signup,
      boolean purchase) {
    long visit = week.plus(i % 7, ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS).toEpochMilli();
    visit += i * 60_000L;
    events.add(
        new Event("visit", user, visit, source == null ? Map.of() : Map.of("source", source)));
    if (signup) {
      events.add(new Event("signup", user, visit + 600_000, Map.of()));
      if (purchase) {
        events.add(new Event("purchase", user, visit + 1_800_000, Map.of()));
      }
    }
  }

  /** Users reaching at least each step of visit -> signup(plan in pro, team) -> purchase. */
  static long[] expectedUsers(List<Event> events) {
    long[] users = new long[3];
    for (int best : levels(events).values()) {
      for (int step = 0; step < best; step++) {
        users[step]++;
      }
    }
    return users;
  }

  /**
   * Each user's level in visit -> signup(plan in pro, team) -> purchase: how many steps the best
   * attempt reached (0: never entered).
   */
  static Map<String, Integer> levels(List<Event> events) {
    Map<String, List<Event>> byUser = new LinkedHashMap<>();
    for (Event e : events) {
      byUser.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e);
    }
    Map<String, Integer> levels = new LinkedHashMap<>();
    for (Map.Entry<String, List<Event>> entry : byUser.entrySet()) {
      List<Event> journey = entry.getValue();
      journey.sort(Comparator.comparingLong(Event::timeMs));
      int best = 0;
      for (int start = 0; start < journey.size(); start++) {
        if (!matches(journey.get(start), 0)) {
          continue;
        }
        int level = 1;
        long end = journey.get(start).timeMs() + WINDOW_SECONDS * 1000;
        for (int k = start + 1; k < journey.size() && level < 3; k++) {
          Event e = journey.get(k);
          if (e.timeMs() > end) {
            break;
          }
          if (matches(e, level)) {
            level++;
          }
        }
        best = Math.max(best, level);
      }
      levels.put(entry.getKey(), best);
    }
    return levels;
  }

  private static boolean matches(Event e, int step) {
    return switch (step) {
      case 0 -> e.name().equals("visit");
      case 1 -> e.name().equals("signup") && SIGNUP_PLANS.contains(e.metadata().get("plan"));
      default -> e.name().equals("purchase");
    };
  }

  /** Event name -> how many were sent. */
  static Map<String, Long> countsByName(List<Event> events) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    events.forEach(e -> counts.merge(e.name(), 1L, Long::sum));
    return counts;
  }

  /**
   * Saves the journeys' funnel (visit, signup on plan pro or team, purchase, in the journeys'
   * window) under {@code name}; its id.
   */
  static long saveFunnel(
      io.tracetics.testing.Http http, io.tracetics.testing.Tenants.TenantApp t, String name) {
    return io.tracetics.testing.Reports.saveFunnel(
        http,
        t,
        """
        {"name": "%s", "window_seconds": %d,
         "steps": [{"event_name": "visit"},
                   {"event_name": "signup",
                    "filters": [{"property": "plan", "op": "in", "value": ["pro", "team"]}]},
                   {"event_name": "purchase"}]}
        """
            .formatted(name, WINDOW_SECONDS));
  }

  /** Sends the events through the ingest API and waits until the app's node has loaded them. */
  static void send(
      io.dropwizard.testing.junit5.DropwizardAppExtension<?> app,
      io.tracetics.testing.Tenants.TenantApp t,
      List<Event> events)
      throws InterruptedException {
    List<Map<String, Object>> batch = new java.util.ArrayList<>();
    events.forEach(e -> batch.add(e.json()));
    io.tracetics.testing.Http.Response response =
        new io.tracetics.testing.Http(app.getLocalPort())
            .post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", batch))
            .send();
    if (response.status() != 200 || response.json().get("accepted").asInt() != events.size()) {
      throw new AssertionError("the events were not all accepted: " + response);
    }
    io.tracetics.testing.Reports.awaitLoaded(app, t.appId(), events.size());
  }

  /** The id of the one funnel the tenant's app has saved (the dashboard saved it). */
  static long onlyFunnelId(
      io.tracetics.testing.Http http, io.tracetics.testing.Tenants.TenantApp t) {
    com.fasterxml.jackson.databind.JsonNode funnels =
        http.get("/api/v1/apps/" + t.appId() + "/funnels")
            .bearer(t.managementToken())
            .send()
            .json()
            .get("funnels");
    if (funnels.size() != 1) {
      throw new AssertionError("expected one saved funnel: " + funnels);
    }
    return funnels.get(0).get("funnel_id").asLong();
  }
}
