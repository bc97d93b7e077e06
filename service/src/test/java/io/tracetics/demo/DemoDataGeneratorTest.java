package io.tracetics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.IngestEvent;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoDataGeneratorTest {
  static final Instant END = Instant.parse("2026-12-07T00:00:00Z");
  static final DemoDataSet SET = new DemoDataSet(20_000, 28, 1, END);
  static final List<DemoEvent> EVENTS = new DemoDataGenerator().generate(SET);
  static final long DAY = 86_400_000L;

  @Test
  void theSameDataSetGivesTheSameEventsAndAnotherSeedOthers() {
    DemoDataSet small = new DemoDataSet(500, 14, 7, END);
    List<DemoEvent> once = new DemoDataGenerator().generate(small);
    assertEquals(once, new DemoDataGenerator().generate(small));
    assertEquals(small.key(), new DemoDataSet(500, 14, 7, END).key());

    DemoDataSet other = new DemoDataSet(500, 14, 8, END);
    List<DemoEvent> others = new DemoDataGenerator().generate(other);
    assertNotEquals(small.key(), other.key());
    Set<String> ids = once.stream().map(DemoEvent::eventId).collect(Collectors.toSet());
    Set<String> users = once.stream().map(DemoEvent::user).collect(Collectors.toSet());
    assertTrue(others.stream().noneMatch(e -> ids.contains(e.eventId())));
    assertTrue(others.stream().noneMatch(e -> users.contains(e.user())));
    assertTrue(once.get(0).eventId().startsWith("demo-" + small.key() + "-"));
  }

  @Test
  void everyEventPassesTheApiRulesInsideThePeriodWithItsOwnId() {
    EventParser parser = new EventParser();
    DemoRows rows = new DemoRows(EVENTS);
    Set<String> ids = new HashSet<>();
    long start = SET.start().toEpochMilli();
    for (DemoEvent event : EVENTS) {
      IngestEvent parsed =
          assertInstanceOf(
                  EventParser.Valid.class, parser.parseEvent(rows.node(event), END.toEpochMilli()))
              .event();
      assertEquals(event.timeMs(), parsed.eventTimeMs());
      assertEquals(event.eventId(), parsed.clientEventId());
      assertTrue(event.timeMs() >= start && event.timeMs() < END.toEpochMilli(), event::toString);
      assertTrue(ids.add(event.eventId()), event::toString);
      assertTrue(DemoDataGenerator.EVENT_NAMES.contains(event.name()), event::toString);
    }
    assertTrue(EVENTS.size() > 50_000, "tens of thousands of visitors, " + EVENTS.size());
  }

  @Test
  void visitorsComeFromSourcesAndDevicesInTheIntendedShares() {
    Map<String, DemoEvent> firstView = firstAnonymousViews();
    assertEquals(SET.users(), firstView.size(), "every visitor views a page first");
    for (String key : List.of("source", "device")) {
      String[] values =
          key.equals("source") ? DemoDataGenerator.SOURCES : DemoDataGenerator.DEVICES;
      double[] shares =
          key.equals("source") ? DemoDataGenerator.SOURCE_SHARE : DemoDataGenerator.DEVICE_SHARE;
      Map<Object, Long> counts =
          firstView.values().stream()
              .collect(Collectors.groupingBy(e -> e.metadata().get(key), Collectors.counting()));
      for (int i = 0; i < values.length; i++) {
        double share = counts.getOrDefault(values[i], 0L) / (double) SET.users();
        assertEquals(shares[i], share, 0.02, key + " " + values[i]);
      }
    }
  }

  @Test
  void eachStepHasFewerUsersAndDropOffDiffersBySourceAndDevice() {
    Map<String, Set<String>> usersByName = new HashMap<>();
    for (DemoEvent e : EVENTS) {
      usersByName.computeIfAbsent(e.name(), n -> new HashSet<>()).add(e.user());
    }
    long viewed = usersByName.get("page_viewed").size();
    long signedUp = usersByName.get("signed_up").size();
    long activated = usersByName.get("project_created").size();
    long purchased = usersByName.get("purchased").size();
    assertTrue(viewed > signedUp && signedUp > activated && activated > purchased);
    assertTrue(purchased > 100, "enough buyers to break down: " + purchased);
    assertTrue(viewed >= SET.users());

    // Sign-ups per visitor, by the visitor's source and device (the sign-up names both).
    Map<String, DemoEvent> firstView = firstAnonymousViews();
    Map<String, double[]> bySource = new HashMap<>();
    Map<String, double[]> byDevice = new HashMap<>();
    for (DemoEvent view : firstView.values()) {
      bySource.computeIfAbsent((String) view.metadata().get("source"), k -> new double[2])[0]++;
      byDevice.computeIfAbsent((String) view.metadata().get("device"), k -> new double[2])[0]++;
    }
    for (DemoEvent e : EVENTS) {
      if (e.name().equals("signed_up")) {
        bySource.get((String) e.metadata().get("source"))[1]++;
        byDevice.get((String) e.metadata().get("device"))[1]++;
      }
    }
    assertTrue(rate(bySource, "newsletter") > 1.5 * rate(bySource, "google"));
    assertTrue(rate(bySource, "google") > 1.5 * rate(bySource, "twitter"));
    assertTrue(rate(byDevice, "desktop") > 1.5 * rate(byDevice, "mobile"));
  }

  @Test
  void timesHaveAWeekGapsBeyondAWeekTiesAndLateArrivals() {
    // Fewer arrivals per weekend day than per weekday.
    double[] perDay = new double[7];
    for (DemoEvent view : firstAnonymousViews().values()) {
      DayOfWeek day = Instant.ofEpochMilli(view.timeMs()).atZone(ZoneOffset.UTC).getDayOfWeek();
      perDay[day.getValue() - 1]++;
    }
    double weekday = (perDay[0] + perDay[1] + perDay[2] + perDay[3] + perDay[4]) / 5;
    double weekend = (perDay[5] + perDay[6]) / 2;
    assertTrue(weekend < 0.7 * weekday, weekend + " vs " + weekday);

    // Sign-up to first project: from minutes to beyond a week.
    Map<String, Long> signedUp = new HashMap<>();
    Map<String, Long> firstProject = new HashMap<>();
    for (DemoEvent e : EVENTS) {
      if (e.name().equals("signed_up")) {
        signedUp.put(e.user(), e.timeMs());
      } else if (e.name().equals("project_created")) {
        firstProject.merge(e.user(), e.timeMs(), Math::min);
      }
    }
    List<Long> gaps = new ArrayList<>();
    firstProject.forEach((user, t) -> gaps.add(t - signedUp.get(user)));
    assertTrue(gaps.stream().allMatch(g -> g >= 0));
    assertTrue(gaps.stream().filter(g -> g < 30 * 60_000L).count() > gaps.size() / 3);
    assertTrue(gaps.stream().filter(g -> g > 7 * DAY).count() > 10);

    // Repeated events and equal timestamps: sign-up and its login in the same millisecond.
    Set<String> signupMoments = new HashSet<>();
    EVENTS.stream()
        .filter(e -> e.name().equals("signed_up"))
        .forEach(e -> signupMoments.add(e.user() + "@" + e.timeMs()));
    assertEquals(
        signupMoments.size(),
        EVENTS.stream()
            .filter(e -> e.name().equals("logged_in"))
            .filter(e -> signupMoments.contains(e.user() + "@" + e.timeMs()))
            .count());

    // Not in event-time order: some events arrive after events more than a day newer.
    long newest = Long.MIN_VALUE;
    long late = 0;
    long outOfOrder = 0;
    for (DemoEvent e : EVENTS) {
      if (e.timeMs() < newest) {
        outOfOrder++;
      }
      if (e.timeMs() < newest - DAY) {
        late++;
      }
      newest = Math.max(newest, e.timeMs());
    }
    assertTrue(late > EVENTS.size() / 200, "late: " + late);
    assertTrue(outOfOrder > late);
  }

  @Test
  void eventsOfSignedUpUsersCarryTheirAnonymousId() {
    Set<String> anonymous = new HashSet<>();
    for (DemoEvent e : EVENTS) {
      if (e.user().startsWith("anon-")) {
        anonymous.add(e.user());
        assertTrue(!e.metadata().containsKey("anonymous_id"));
      }
    }
    for (DemoEvent e : EVENTS) {
      if (!e.user().startsWith("anon-")) {
        assertTrue(e.user().startsWith("user-"), e::toString);
        assertTrue(anonymous.contains((String) e.metadata().get("anonymous_id")), e::toString);
      }
    }
  }

  @Test
  void optionsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new DemoDataSet(0, 28, 1, END));
    assertThrows(IllegalArgumentException.class, () -> new DemoDataSet(10, 0, 1, END));
    assertThrows(IllegalArgumentException.class, () -> DemoDataSet.parseEnd("yesterday"));
    assertEquals(END, DemoDataSet.parseEnd("2026-12-07"));
    assertEquals(END.plusSeconds(3600), DemoDataSet.parseEnd("2026-12-07T01:00:00Z"));
    assertEquals(END, DemoDataSet.today(Instant.parse("2026-12-07T17:45:12Z")));
  }

  private static double rate(Map<String, double[]> counts, String value) {
    double[] c = counts.get(value);
    return c[1] / c[0];
  }

  /** Each visitor's first anonymous page view, by anonymous id. */
  private static Map<String, DemoEvent> firstAnonymousViews() {
    Map<String, DemoEvent> first = new HashMap<>();
    for (DemoEvent e : EVENTS) {
      if (e.user().startsWith("anon-") && e.name().equals("page_viewed")) {
        first.merge(e.user(), e, (a, b) -> a.timeMs() <= b.timeMs() ? a : b);
      }
    }
    return first;
  }
}
