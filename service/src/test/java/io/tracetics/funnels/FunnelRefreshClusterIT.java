package io.tracetics.funnels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.testing.Databases;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two service processes on one MariaDB and Redis, each loading the same events into its own DuckDB
 * copy: each refresh of an app's saved funnels runs on one node only (the recomputations both nodes
 * count on their admin port add up to one per funnel and recorded refresh), bursts of loads
 * coalesce, and when the node refreshing is SIGKILLed mid-refresh the other takes the lease over
 * within its lifetime plus a check interval and the cached reports then include the events. The
 * nodes run on a database of their own, created fresh, so no other test's apps wait for a refresh
 * on them.
 */
class FunnelRefreshClusterIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final long LEASE_MS = 3_000;
  private static final long CHECK_MS = 500;
  // Long enough per funnel that a refresh of FUNNELS funnels can be caught in the middle.
  private static final long DELAY_MS = 400;
  private static final int FUNNELS = 6;
  private static final int BURST = 4;
  private static final Pattern SAVED =
      Pattern.compile(
          "(?m)^io_tracetics_reporting_saved_funnel_refreshes_total(?:\\{[^}]*\\})? (\\S+)$");
  private static final Pattern APPS =
      Pattern.compile("(?m)^io_tracetics_reporting_app_refreshes_total(?:\\{[^}]*\\})? (\\S+)$");

  private final List<ServiceProcess> started = new ArrayList<>();
  private final String database =
      TestServers.get().jdbcUrlOf(TestServers.get().databaseName() + "_refresh");

  /** The app's row of funnel_refreshes. */
  record Lease(
      long wanted,
      long refreshed,
      String refreshedBy,
      long refreshes,
      String leaseNode,
      Long leasePosition,
      Long leaseTakenAtMs) {}

  @AfterEach
  void killLeftovers() throws Exception {
    started.forEach(ServiceProcess::close);
    try (Connection c = TestServers.get().connect();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS `" + TestServers.get().databaseName() + "_refresh`");
    }
  }

  @Test
  @Timeout(300)
  void eachRefreshRunsOnOneNodeAndMovesToTheSurvivorWhenItsNodeDies() throws Exception {
    Path root =
        Files.createDirectories(Path.of("target", "it-processes"))
            .resolve("refresh-" + System.currentTimeMillis())
            .toAbsolutePath();
    Databases.create(database, true);
    CompletableFuture<ServiceProcess> startingA =
        CompletableFuture.supplyAsync(() -> start(options("refresh-a", root.resolve("a"))));
    CompletableFuture<ServiceProcess> startingB =
        CompletableFuture.supplyAsync(() -> start(options("refresh-b", root.resolve("b"))));
    ServiceProcess nodeA = startingA.get();
    ServiceProcess nodeB = startingB.get();
    List<ServiceProcess> nodes = List.of(nodeA, nodeB);

    Tenants.TenantApp t = Tenants.create(nodeA.http(), "business");
    List<Long> funnels = new ArrayList<>();
    for (int i = 0; i < FUNNELS; i++) {
      funnels.add(
          Reports.saveFunnel(
              nodeA.http(),
              t,
              """
              {"name": "signup %d", "window_seconds": %d,
               "steps": [{"event_name": "visit"}, {"event_name": "signup"}]}
              """
                  .formatted(i, 3600 + i)));
    }

    // (a) A burst of loads that both nodes load: one refresh per recorded refresh, on one node.
    long[] savedBefore = counters(nodes, SAVED);
    long[] appsBefore = counters(nodes, APPS);
    int visitors = 0;
    for (int i = 0; i < BURST; i++) {
      send(nodeA.http(), t, visits("a" + i, 5, 2));
      visitors += 5;
      Thread.sleep(150);
    }
    awaitCaughtUp(nodeA);
    long epoch = awaitCaughtUp(nodeB);
    Lease settled =
        awaitLease(
            t.appId(),
            l -> l.wanted() >= epoch && l.refreshed() >= l.wanted() && l.leaseNode() == null,
            Duration.ofSeconds(60));
    long refreshes = settled.refreshes();
    long[] saved = minus(counters(nodes, SAVED), savedBefore);
    long[] apps = minus(counters(nodes, APPS), appsBefore);
    System.out.printf(
        "FunnelRefreshClusterIT: %d loads -> %d refreshes (by node: %d, %d; funnel"
            + " recomputations: %d, %d)%n",
        BURST, refreshes, apps[0], apps[1], saved[0], saved[1]);
    assertTrue(refreshes >= 1 && refreshes <= BURST, "refreshes: " + settled);
    assertEquals(refreshes, apps[0] + apps[1], "each recorded refresh ran on one node");
    assertEquals(refreshes * FUNNELS, saved[0] + saved[1], "each funnel computed once per refresh");
    for (long funnel : funnels) {
      assertTrue(dataThroughSeq(funnel) >= settled.refreshed(), "funnel " + funnel);
    }
    // Both nodes show the app's saved funnels caught up, with who refreshed them last.
    for (ServiceProcess node : nodes) {
      JsonNode lag = savedFunnelsOf(node, t);
      assertEquals(0, lag.get("positions_behind").asLong(), lag::toString);
      assertEquals(0, lag.get("events_behind").asLong(), lag::toString);
      assertEquals(refreshes, lag.get("refreshes").asLong(), lag::toString);
      assertEquals(settled.refreshedBy(), lag.get("last_refreshed_by").asText());
      assertTrue(lag.get("lease_node").isNull(), lag::toString);
      assertTrue(
          node.pipelineStatus().at("/funnels/refresh/lease_ttl_ms").asLong() == LEASE_MS,
          "operator status");
    }

    // (b) New events; SIGKILL the node refreshing them once it has computed at least one funnel.
    send(nodeB.http(), t, visits("b", 10, 10));
    visitors += 10;
    long newEpoch = awaitSequenced();
    Lease refreshing =
        awaitLease(
            t.appId(),
            l ->
                l.leaseNode() != null && l.leasePosition() != null && l.leasePosition() >= newEpoch,
            Duration.ofSeconds(30));
    ServiceProcess holder = refreshing.leaseNode().equals("refresh-a") ? nodeA : nodeB;
    ServiceProcess survivor = holder == nodeA ? nodeB : nodeA;
    long holderSaved = counter(holder, SAVED);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (counter(holder, SAVED) == holderSaved && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    holder.kill();
    long killedAt = System.currentTimeMillis();
    Lease afterKill = lease(t.appId());
    assertTrue(
        afterKill.refreshed() < newEpoch
            && holder.options().nodeName().equals(afterKill.leaseNode()),
        "killed in the middle of the refresh: " + afterKill);
    // Meanwhile the survivor shows the app behind, the lease with the dead node.
    JsonNode behind = savedFunnelsOf(survivor, t);
    assertTrue(behind.get("positions_behind").asLong() > 0, behind::toString);
    assertEquals(holder.options().nodeName(), behind.get("lease_node").asText());

    Lease takenOver =
        awaitLease(
            t.appId(),
            l -> l.refreshed() >= newEpoch,
            Duration.ofMillis(LEASE_MS + CHECK_MS + FUNNELS * DELAY_MS + 20_000));
    long takeover = takenOver.leaseTakenAtMs() - killedAt;
    System.out.printf(
        "FunnelRefreshClusterIT: %s killed mid-refresh; %s took the lease over %d ms later%n",
        holder.options().nodeName(), survivor.options().nodeName(), takeover);
    assertEquals(survivor.options().nodeName(), takenOver.refreshedBy(), takenOver::toString);
    assertTrue(takeover <= LEASE_MS + CHECK_MS + 1_500, "takeover after " + takeover + " ms");

    // The survivor serves the refreshed report from the cache, new events included.
    for (long funnel : funnels) {
      assertTrue(dataThroughSeq(funnel) >= newEpoch, "funnel " + funnel);
      JsonNode report =
          survivor
              .http()
              .get("/api/v1/apps/" + t.appId() + "/funnels/" + funnel + "/report")
              .bearer(t.managementToken())
              .send()
              .successJson();
      assertTrue(report.get("cached").asBoolean(), report::toString);
      assertTrue(report.at("/watermark/load_position").asLong() >= newEpoch, report::toString);
      assertEquals(visitors, Reports.users(report.get("steps")).get(0), report::toString);
    }
    JsonNode caughtUp = savedFunnelsOf(survivor, t);
    assertEquals(0, caughtUp.get("positions_behind").asLong(), caughtUp::toString);
    assertEquals(survivor.options().nodeName(), caughtUp.get("last_refreshed_by").asText());
    assertNotEquals(0, caughtUp.get("refreshes").asLong());
  }

  /** {@code visitors} people who visit, the first {@code signups} of them also sign up. */
  private static List<Map<String, Object>> visits(String prefix, int visitors, int signups) {
    Instant now = Instant.now();
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < visitors; i++) {
      String user = prefix + "-" + i;
      events.add(event(user, "visit", now.minusSeconds(60)));
      if (i < signups) {
        events.add(event(user, "signup", now.minusSeconds(30)));
      }
    }
    return events;
  }

  private static Map<String, Object> event(String user, String name, Instant at) {
    return Map.of("user_identifier", user, "event_name", name, "timestamp", at.toString());
  }

  private static void send(Http http, Tenants.TenantApp t, List<Map<String, Object>> events) {
    Http.Response sent =
        http.post("/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", events))
            .send();
    assertEquals(events.size(), sent.json().path("accepted").asInt(), sent::toString);
  }

  private ServiceProcess.Options options(String name, Path dataDir) {
    return ServiceProcess.options(name, dataDir)
        .databaseUrl(database)
        .clustered(true)
        .set("funnels.refreshLeaseTtl", LEASE_MS + "ms")
        .set("funnels.refreshCheckInterval", CHECK_MS + "ms")
        .set("funnels.refreshDelayForTests", DELAY_MS + "ms");
  }

  private ServiceProcess start(ServiceProcess.Options options) {
    ServiceProcess node = ServiceProcess.start(options, START);
    synchronized (started) {
      started.add(node);
    }
    return node;
  }

  /** The app's {@code saved_funnels} in the node's tenant pipeline view. */
  private static JsonNode savedFunnelsOf(ServiceProcess node, Tenants.TenantApp t) {
    JsonNode status =
        node.http().get("/api/v1/tenant/pipeline").bearer(t.managementToken()).send().successJson();
    for (JsonNode app : status.get("apps")) {
      if (app.get("app_id").asLong() == t.appId()) {
        JsonNode lag = app.get("saved_funnels");
        assertNotNull(lag, app::toString);
        return lag;
      }
    }
    throw new AssertionError("app " + t.appId() + " not in " + status);
  }

  /** The highest epoch, once every committed batch has one. */
  private long awaitSequenced() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT COALESCE(MAX(seq), 0), COALESCE(SUM(seq IS NULL), 0)"
                      + " FROM ingest_batches")) {
        rs.next();
        if (rs.getLong(2) == 0) {
          return rs.getLong(1);
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("batches left without an epoch");
  }

  /** Waits until the node has loaded every epoch; that epoch. */
  private long awaitCaughtUp(ServiceProcess node) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      long epoch = awaitSequenced();
      if (node.pipelineStatus().at("/loader/position").asLong() >= epoch) {
        return epoch;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(node.options().nodeName() + " did not catch up");
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection(database, "root", "");
  }

  private static long[] counters(List<ServiceProcess> nodes, Pattern metric) {
    long[] values = new long[nodes.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = counter(nodes.get(i), metric);
    }
    return values;
  }

  private static long counter(ServiceProcess node, Pattern metric) {
    Matcher m = metric.matcher(node.admin("/prometheus").text());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  private static long[] minus(long[] after, long[] before) {
    long[] delta = new long[after.length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = after[i] - before[i];
    }
    return delta;
  }

  private Lease awaitLease(long appId, Predicate<Lease> done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Lease last = null;
    while (System.nanoTime() < deadline) {
      last = lease(appId);
      if (last != null && done.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("lease row not as awaited within " + timeout + ": " + last);
  }

  private Lease lease(long appId) throws Exception {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                """
                SELECT wanted_position, refreshed_position, refreshed_by, refresh_count,
                       lease_node, lease_position, lease_taken_at_ms
                FROM funnel_refreshes WHERE app_id = ?
                """)) {
      ps.setLong(1, appId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Lease(
            rs.getLong(1),
            rs.getLong(2),
            rs.getString(3),
            rs.getLong(4),
            rs.getString(5),
            rs.getObject(6, Long.class),
            rs.getObject(7, Long.class));
      }
    }
  }

  private long dataThroughSeq(long funnelId) throws Exception {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT MIN(data_through_seq) FROM funnel_results WHERE funnel_id = ?")) {
      ps.setLong(1, funnelId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
