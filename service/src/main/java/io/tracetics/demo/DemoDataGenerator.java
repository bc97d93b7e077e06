package io.tracetics.demo;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the demo product's events: visitors of a SaaS product (a project tool with Free, Pro
 * and Team plans) who browse its site anonymously, some of whom sign up, create a project and buy a
 * plan. Deterministic: the same {@link DemoDataSet} gives the same events in the same order.
 *
 * <p>Each visitor has their own random numbers (seeded by the data set and their number) and comes
 * from one {@code source} on one {@code device}; both decide how likely every next step is (see the
 * tables below), so a funnel broken down by either shows differences. Arrivals follow a week
 * (quieter weekends) and a day (quiet nights, UTC). Browsing before sign-up is under the visitor's
 * anonymous id ({@code anon-...}); the sign-up flow identifies them, and every event under the user
 * id ({@code user-...}) carries the anonymous id as {@code anonymous_id}. Nothing is after the data
 * set's end.
 *
 * <p>The list comes in the order a server would receive the events, not in event time: most are
 * sent at once, but some (mostly from phones that were offline) arrive hours or days late, among
 * events days newer than they are. Some events share a millisecond ({@code signed_up} and {@code
 * logged_in}, {@code purchased} and its page view, a page view sent twice).
 */
public final class DemoDataGenerator {
  static final long SECOND = 1_000;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  /** The event names, in the order of the journey. */
  public static final List<String> EVENT_NAMES =
      List.of(
          "page_viewed", "signed_up", "logged_in", "project_created", "invite_sent", "purchased");

  /** Where visitors come from, and how many of them. */
  static final String[] SOURCES = {
    "google", "direct", "twitter", "newsletter", "linkedin", "producthunt"
  };

  static final double[] SOURCE_SHARE = {0.35, 0.22, 0.15, 0.10, 0.08, 0.10};
  static final String[] DEVICES = {"desktop", "mobile", "tablet"};
  static final double[] DEVICE_SHARE = {0.58, 0.36, 0.06};

  /** The chance to start signing up, by source, times a factor by device. */
  static final double[] START_SIGNUP_BY_SOURCE = {0.10, 0.12, 0.05, 0.22, 0.08, 0.14};

  static final double[] START_SIGNUP_BY_DEVICE = {1.0, 0.5, 0.8};

  /** The chance to finish the sign-up once started, by device. */
  static final double[] FINISH_SIGNUP_BY_DEVICE = {0.88, 0.66, 0.78};

  /** The chance to create a first project after signing up, by source, times one by device. */
  static final double[] ACTIVATE_BY_SOURCE = {0.50, 0.55, 0.32, 0.65, 0.45, 0.38};

  static final double[] ACTIVATE_BY_DEVICE = {1.0, 0.7, 0.85};

  /** The chance to buy after activating, by source, times one by the plan chosen at sign-up. */
  static final double[] PURCHASE_BY_SOURCE = {0.42, 0.42, 0.25, 0.55, 0.48, 0.30};

  static final String[] PLANS = {"free", "pro", "team"};
  static final double[] PLAN_SHARE = {0.55, 0.35, 0.10};
  static final double[] PURCHASE_BY_PLAN = {0.6, 1.2, 1.4};

  /** Arrivals per weekday (Monday first) and per UTC hour, relative. */
  static final double[] WEEKDAY_WEIGHT = {1.0, 1.05, 1.05, 1.0, 0.85, 0.5, 0.55};

  static final double[] HOUR_WEIGHT = {
    0.25, 0.2, 0.15, 0.15, 0.15, 0.2, 0.3, 0.45, 0.65, 0.8, 0.9, 1.0, 1.05, 1.1, 1.15, 1.15, 1.1,
    1.0, 0.9, 0.8, 0.7, 0.55, 0.45, 0.35
  };

  private static final String[] BLOG = {
    "/blog/funnel-analysis-101", "/blog/naming-your-events", "/blog/self-hosting-guide"
  };
  private static final String[] SITE = {
    "/", "/features", "/pricing", "/docs", "/customers", "/changelog", "/about"
  };
  private static final double[] SITE_SHARE = {0.22, 0.2, 0.2, 0.16, 0.1, 0.07, 0.05};
  private static final String[] APP = {
    "/app", "/app/projects", "/app/settings", "/app/team", "/app/billing"
  };
  private static final double[] APP_SHARE = {0.35, 0.35, 0.1, 0.1, 0.1};
  private static final String[] TEMPLATES = {"blank", "kanban", "roadmap", "bug-tracker"};
  private static final String[] LOGIN_METHODS = {"email", "google", "github"};

  /** The events of the data set, in the order a server would receive them. */
  public List<DemoEvent> generate(DemoDataSet set) {
    long key = set.keyBits();
    String idPrefix = "demo-" + set.key() + "-";
    Arrivals arrivals = new Arrivals(set.start().toEpochMilli(), set.end().toEpochMilli());
    List<Sent> sent = new ArrayList<>();
    for (int visitor = 0; visitor < set.users(); visitor++) {
      Random random = new Random(key + 0x9E3779B97F4A7C15L * (visitor + 1));
      new Visitor(visitor, random, idPrefix, set.end().toEpochMilli(), sent).walk(arrivals);
    }
    sent.sort(
        Comparator.comparingLong(Sent::sentMs)
            .thenComparingInt(Sent::visitor)
            .thenComparingInt(Sent::seq));
    List<DemoEvent> events = new ArrayList<>(sent.size());
    for (Sent s : sent) {
      events.add(s.event());
    }
    return events;
  }

  private record Sent(long sentMs, int visitor, int seq, DemoEvent event) {}

  /** One visitor's journey; events after the end are dropped. */
  private static final class Visitor {
    final int number;
    final Random random;
    final String idPrefix;
    final long endMs;
    final List<Sent> out;
    final int source;
    final int device;
    final String anonymousId;
    int seq;

    Visitor(int number, Random random, String idPrefix, long endMs, List<Sent> out) {
      this.number = number;
      this.random = random;
      this.idPrefix = idPrefix;
      this.endMs = endMs;
      this.out = out;
      this.source = pick(SOURCE_SHARE);
      this.device = pick(DEVICE_SHARE);
      this.anonymousId = "anon-" + hex(random.nextLong(), 16);
    }

    void walk(Arrivals arrivals) {
      long t = arrivals.next(random);
      int sessions = 1 + repeat(0.45, 4);
      boolean signsUp =
          random.nextDouble() < START_SIGNUP_BY_SOURCE[source] * START_SIGNUP_BY_DEVICE[device];
      int signupSession =
          !signsUp ? -1 : random.nextDouble() < 0.7 ? sessions - 1 : random.nextInt(sessions);
      for (int session = 0; session < sessions; session++) {
        if (session > 0) {
          t += between(2 * HOUR, 6 * DAY);
        }
        int views = 1 + repeat(device == 1 ? 0.4 : 0.55, 8);
        for (int v = 0; v < views; v++) {
          String path = v == 0 && session == 0 ? landing() : SITE[pick(SITE_SHARE)];
          pageView(anonymousId, t, path, false);
          t += between(5 * SECOND, 3 * MINUTE);
        }
        if (session == signupSession) {
          if (random.nextDouble() < 0.6) {
            pageView(anonymousId, t, "/pricing", false);
            t += between(10 * SECOND, 2 * MINUTE);
          }
          pageView(anonymousId, t, "/signup", false);
          t += between(20 * SECOND, 2 * MINUTE);
          signUp(t);
          return;
        }
      }
    }

    private String landing() {
      return switch (SOURCES[source]) {
        case "google" -> random.nextDouble() < 0.5 ? BLOG[random.nextInt(BLOG.length)] : "/";
        case "newsletter", "linkedin" -> BLOG[random.nextInt(BLOG.length)];
        case "twitter" -> random.nextDouble() < 0.6 ? BLOG[random.nextInt(BLOG.length)] : "/";
        default -> "/";
      };
    }

    /** The sign-up flow: identified from its first page on, under a new user id. */
    private void signUp(long t) {
      String user = "user-" + hex(random.nextLong(), 12);
      pageView(user, t, "/welcome", true);
      if (random.nextDouble() >= FINISH_SIGNUP_BY_DEVICE[device]) {
        return;
      }
      double r = random.nextDouble();
      t +=
          r < 0.72
              ? between(20 * SECOND, 10 * MINUTE)
              : r < 0.92 ? between(10 * MINUTE, 3 * HOUR) : between(DAY, 9 * DAY);
      int plan = pick(PLAN_SHARE);
      Map<String, Object> signup = new LinkedHashMap<>();
      signup.put("plan", PLANS[plan]);
      emit(user, "signed_up", t, identified(signup));
      Map<String, Object> login = new LinkedHashMap<>();
      login.put("method", LOGIN_METHODS[random.nextInt(LOGIN_METHODS.length)]);
      emit(user, "logged_in", t, identified(login));
      long signedUp = t;
      t += between(5 * SECOND, MINUTE);
      for (int v = 1 + repeat(0.5, 4); v > 0; v--) {
        pageView(user, t, APP[pick(APP_SHARE)], true);
        t += between(5 * SECOND, 3 * MINUTE);
      }
      returnVisits(user, signedUp);
      boolean activates =
          random.nextDouble()
              < ACTIVATE_BY_SOURCE[source] * ACTIVATE_BY_DEVICE[device] * (plan == 2 ? 1.15 : 1);
      if (activates) {
        activate(user, signedUp, plan);
      }
    }

    /** Later sessions of a signed-up user: a login (after a long gap) and some pages. */
    private void returnVisits(String user, long signedUp) {
      long t = signedUp;
      for (int visit = repeat(0.6, 10); visit > 0; visit--) {
        long gap = between(6 * HOUR, 5 * DAY);
        t += gap;
        if (gap > 12 * HOUR) {
          Map<String, Object> login = new LinkedHashMap<>();
          login.put("method", LOGIN_METHODS[random.nextInt(LOGIN_METHODS.length)]);
          emit(user, "logged_in", t, identified(login));
        }
        long page = t;
        for (int v = 1 + repeat(0.5, 5); v > 0; v--) {
          page += between(3 * SECOND, 2 * MINUTE);
          pageView(user, page, APP[pick(APP_SHARE)], true);
        }
      }
    }

    /** The first project (activation), perhaps more, invitations, and perhaps a purchase. */
    private void activate(String user, long signedUp, int plan) {
      double r = random.nextDouble();
      long t =
          signedUp
              + (r < 0.55
                  ? between(MINUTE, 30 * MINUTE)
                  : r < 0.85 ? between(HOUR, 4 * DAY) : between(4 * DAY, 12 * DAY));
      long activated = t;
      project(user, t);
      for (int more = repeat(0.35, 6); more > 0; more--) {
        t += between(10 * MINUTE, 4 * DAY);
        project(user, t);
      }
      if (plan == 2 || random.nextDouble() < 0.25) {
        long invite = activated;
        for (int n = 1 + repeat(0.5, 4); n > 0; n--) {
          invite += between(MINUTE, 2 * DAY);
          Map<String, Object> metadata = new LinkedHashMap<>();
          metadata.put("role", random.nextDouble() < 0.85 ? "member" : "admin");
          emit(user, "invite_sent", invite, identified(metadata));
        }
      }
      double buy = PURCHASE_BY_SOURCE[source] * PURCHASE_BY_PLAN[plan] * (device == 1 ? 0.8 : 1);
      if (random.nextDouble() < buy) {
        double when = random.nextDouble();
        long bought =
            activated
                + (when < 0.25
                    ? between(10 * MINUTE, DAY)
                    : when < 0.6 ? between(DAY, 7 * DAY) : between(12 * DAY, 15 * DAY));
        String paid = plan != 0 ? PLANS[plan] : random.nextDouble() < 0.8 ? "pro" : "team";
        boolean annual = random.nextDouble() < 0.25;
        double monthly = paid.equals("pro") ? 29.0 : 99.0;
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("plan", paid);
        metadata.put("amount", annual ? monthly * 10 : monthly);
        metadata.put("currency", "USD");
        metadata.put("billing", annual ? "annual" : "monthly");
        emit(user, "purchased", bought, identified(metadata));
        pageView(user, bought, "/app/billing/success", true);
      }
    }

    private void project(String user, long t) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("template", TEMPLATES[random.nextInt(TEMPLATES.length)]);
      emit(user, "project_created", t, identified(metadata));
    }

    private void pageView(String user, long t, String path, boolean identified) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("path", path);
      metadata = identified ? identified(metadata) : visitor(metadata);
      emit(user, "page_viewed", t, metadata);
      if (random.nextDouble() < 0.02) {
        emit(user, "page_viewed", t, metadata); // the page's tag fired twice
      }
    }

    private Map<String, Object> visitor(Map<String, Object> metadata) {
      metadata.put("source", SOURCES[source]);
      metadata.put("device", DEVICES[device]);
      return metadata;
    }

    private Map<String, Object> identified(Map<String, Object> metadata) {
      visitor(metadata);
      metadata.put("anonymous_id", anonymousId);
      return metadata;
    }

    private void emit(String user, String name, long timeMs, Map<String, Object> metadata) {
      int n = ++seq;
      long delay;
      double r = random.nextDouble();
      if (device == 1 && r < 0.05) {
        delay = between(2 * HOUR, 3 * DAY); // a phone that was offline
      } else if (r < 0.055) {
        delay = between(DAY, 5 * DAY); // a client that retried days later
      } else {
        delay = (long) (random.nextDouble() * 2 * SECOND);
      }
      if (timeMs >= endMs) {
        return;
      }
      String id = idPrefix + number + "-" + n;
      out.add(new Sent(timeMs + delay, number, n, new DemoEvent(id, user, name, timeMs, metadata)));
    }

    /** How many more times something happens, each time with the given chance, at most max. */
    private int repeat(double chance, int max) {
      int n = 0;
      while (n < max && random.nextDouble() < chance) {
        n++;
      }
      return n;
    }

    /** A duration between lo and hi, log-uniform (short ones as likely per octave as long ones). */
    private long between(long lo, long hi) {
      return (long) Math.exp(Math.log(lo) + random.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }

    private int pick(double[] shares) {
      return DemoDataGenerator.pick(random, shares);
    }
  }

  /** Arrival times: a UTC day by its weekday's weight, then an hour by its weight. */
  private static final class Arrivals {
    final long startMs;
    final long endMs;
    final long[] dayStarts;
    final double[] dayWeights;

    Arrivals(long startMs, long endMs) {
      this.startMs = startMs;
      this.endMs = endMs;
      LocalDate first = LocalDate.ofInstant(Instant.ofEpochMilli(startMs), ZoneOffset.UTC);
      LocalDate last = LocalDate.ofInstant(Instant.ofEpochMilli(endMs - 1), ZoneOffset.UTC);
      int count = (int) (last.toEpochDay() - first.toEpochDay()) + 1;
      dayStarts = new long[count];
      dayWeights = new double[count];
      for (int i = 0; i < count; i++) {
        LocalDate day = first.plusDays(i);
        long dayStart = day.toEpochDay() * DAY;
        long inside = Math.min(endMs, dayStart + DAY) - Math.max(startMs, dayStart);
        DayOfWeek weekday = day.getDayOfWeek();
        dayStarts[i] = dayStart;
        dayWeights[i] = WEEKDAY_WEIGHT[weekday.getValue() - 1] * inside / (double) DAY;
      }
    }

    long next(Random random) {
      for (int attempt = 0; attempt < 50; attempt++) {
        long t =
            dayStarts[pick(random, dayWeights)]
                + pick(random, HOUR_WEIGHT) * HOUR
                + (long) (random.nextDouble() * HOUR);
        if (t >= startMs && t < endMs) {
          return t;
        }
      }
      return startMs + (long) (random.nextDouble() * (endMs - startMs));
    }
  }

  static int pick(Random random, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = random.nextDouble() * total;
    for (int i = 0; i < weights.length - 1; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static String hex(long bits, int digits) {
    String all = String.format("%016x", bits);
    return all.substring(16 - digits);
  }
}
