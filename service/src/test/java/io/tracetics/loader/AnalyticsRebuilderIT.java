package io.tracetics.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.cohorts.CohortService;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.PersonLookup;
import io.tracetics.engine.store.StoreConfig;
import io.tracetics.identity.Identify;
import io.tracetics.identity.IdentifyService;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.queue.IngestNotices;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.CredentialStore;
import io.tracetics.tenancy.TenancyConfig;
import io.tracetics.testing.EventWriter;
import io.tracetics.testing.TestJdbi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsRebuilderIT {
  @TempDir Path dir;

  @Test
  void rebuildGivesTheSameEventsAsTheLiveCopy() throws Exception {
    Jdbi jdbi = TestJdbi.create();
    long appId = newApp(jdbi);
    long now = System.currentTimeMillis();
    for (int i = 0; i < 20; i++) {
      EventWriter.writeBatch(
          appId,
          List.of(
              new EventWriter.Event("u" + i, "visit", now + i, "{\"i\": " + i + "}"),
              new EventWriter.Event("u" + i, "signup", now + i + 5, null)),
          0,
          i % 7 == 3);
    }
    // Identifies in the epochs too: the rebuilt persons and traits must be the live copy's.
    long tenantId =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT tenant_id FROM tracked_apps WHERE id = :id")
                    .bind("id", appId)
                    .mapTo(Long.class)
                    .one());
    IdentifyService identities =
        new IdentifyService(jdbi, IngestNotices.NONE, java.time.Clock.systemUTC(), 5);
    identities.store(
        TenantId.of(tenantId),
        AppId.of(appId),
        List.of(
            new Identify("u1", "u2", "{\"plan\":\"pro\"}", now, now, null),
            new Identify("u3", "u1", null, now, now, null),
            new Identify(null, "u2", "{\"seats\":3,\"plan\":null}", now, now, null)));
    EventWriter.writeBatch(
        appId, List.of(new EventWriter.Event("u3", "visit", now + 100, null)), 0, false);
    StoreConfig config = StoreConfig.file(dir.resolve("analytics.duckdb")).withMemoryLimit("256MB");
    PipelineConfig pipeline = new PipelineConfig();
    try (AnalyticsStore live = AnalyticsStore.open(config)) {
      // Cohort changes in the epochs too: created, one deleted again (its tombstone must win).
      AppService apps = new AppService(jdbi, new CredentialStore(jdbi, new TenancyConfig()));
      CohortService cohorts =
          new CohortService(
              jdbi,
              apps,
              IngestNotices.NONE,
              new PersonLookup(live),
              new io.tracetics.actors.ActorsService(
                  live,
                  new io.tracetics.funnels.FunnelService(
                      jdbi, apps, io.dropwizard.jackson.Jackson.newObjectMapper()),
                  apps),
              java.time.Clock.systemUTC());
      TenantId tenant = TenantId.of(tenantId);
      AppId app = AppId.of(appId);
      cohorts.create(tenant, app, "kept", List.of("u1", "u4", "nobody"));
      long dropped = cohorts.create(tenant, app, "dropped", List.of("u5", "u6")).cohortId();
      cohorts.create(tenant, app, "also kept", List.of("u3"));
      cohorts.delete(tenant, app, dropped);
      BatchLoader loader =
          new BatchLoader(
              jdbi,
              live,
              pipeline,
              new LoaderMetrics(new com.codahale.metrics.MetricRegistry()),
              List.of(),
              System::currentTimeMillis);
      while (!loader.runOnce().caughtUp()) {
        // load everything committed so far
      }
    }
    List<String> before = rows(config);
    List<String> membersBefore = cohortMembers(config, appId);
    assertEquals(4, membersBefore.size(), membersBefore::toString);
    assertTrue(membersBefore.stream().noneMatch(m -> m.endsWith("|u5") || m.endsWith("|u6")));
    assertTrue(
        before.stream().anyMatch(r -> r.contains("|u3|visit|") && r.endsWith("|u2|{\"seats\":3}|")),
        "u3's events belong to u2's person, with its traits: " + before);

    AtomicLong lastProgress = new AtomicLong();
    long events =
        new AnalyticsRebuilder(jdbi, pipeline)
            .rebuild(config, (done, total) -> lastProgress.set(done));
    assertEquals(before, rows(config));
    assertEquals(membersBefore, cohortMembers(config, appId));
    assertTrue(events >= before.size());
    assertEquals(events, lastProgress.get());
    assertTrue(Files.notExists(dir.resolve("analytics.duckdb.rebuild")));
  }

  @Test
  void rebuildRefusesWhileAnotherProcessHoldsTheFile() throws Exception {
    Jdbi jdbi = TestJdbi.create();
    Path file = dir.resolve("held.duckdb");
    StoreConfig config = StoreConfig.file(file).withMemoryLimit("256MB");
    // Inside one process DuckDB shares an open instance, so the other process is a child JVM.
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                io.tracetics.analytics.HoldDuckDbFile.class.getName(),
                file.toString())
            .redirectErrorStream(true)
            .start();
    try {
      var lines =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  holder.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      String line;
      do {
        line = lines.readLine();
      } while (line != null && !line.contains("HOLDING"));
      assertTrue(line != null, "the child process opened the file");
      assertThrows(
          RuntimeException.class,
          () -> new AnalyticsRebuilder(jdbi, new PipelineConfig()).rebuild(config, (d, t) -> {}));
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  private static long newApp(Jdbi jdbi) {
    return TestJdbi.newApp(jdbi, "rebuild");
  }

  /** "cohort|identifier" of the app's cohort members in the store, sorted. */
  private static List<String> cohortMembers(StoreConfig config, long appId) throws Exception {
    List<String> rows = new ArrayList<>();
    try (AnalyticsStore store = AnalyticsStore.open(config);
        Connection c = store.openReader();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT cohort_id, user_identifier FROM cohort_members WHERE app_id = "
                    + appId
                    + " ORDER BY cohort_id, user_identifier")) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + "|" + rs.getString(2));
      }
    }
    return rows;
  }

  private static List<String> rows(StoreConfig config) throws Exception {
    List<String> rows = new ArrayList<>();
    try (AnalyticsStore store = AnalyticsStore.open(config);
        Connection c = store.openReader();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT e.event_id, e.app_id, e.user_identifier, e.event_name, e.event_time_ms,"
                    + " e.received_at_ms, e.metadata, p.user_identifier, p.traits"
                    + " FROM events e JOIN users p ON p.user_key = e.person_key"
                    + " ORDER BY e.event_id")) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= 9; i++) {
          row.append(rs.getString(i)).append('|');
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
