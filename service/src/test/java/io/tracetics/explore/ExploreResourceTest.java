package io.tracetics.explore;

import static io.tracetics.testing.ApiAssertions.assertError;
import static io.tracetics.testing.ApiResources.TENANT;
import static io.tracetics.testing.ApiResources.TENANT_TOKEN;
import static io.tracetics.testing.ApiResources.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.tracetics.engine.explore.ExploreLimits;
import io.tracetics.engine.explore.ReadOnlySqlRunner;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.StoreConfig;
import io.tracetics.ids.TenantId;
import io.tracetics.testing.ApiResources;
import io.tracetics.testing.InMemoryApps;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ExploreResource}'s formats, headers and refusals: the real {@link ExploreService} and
 * runner over an in-memory DuckDB store, apps kept in memory ({@link InMemoryApps}).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ExploreResourceTest {
  private static final int MAX_ROWS = 3;
  private static final AnalyticsStore STORE =
      AnalyticsStore.open(StoreConfig.inMemory().withNativeFunnel(false));
  private static final InMemoryApps APPS = new InMemoryApps();
  private static final long OWN_APP = APPS.add(TENANT, "shop").id().value();
  private static final long OTHER_APP = APPS.add(TenantId.of(99), "elsewhere").id().value();

  static {
    STORE.load(
        "test",
        1,
        List.of(
            new EventRow(1, OWN_APP, "u1", "view", 1_000, 1_000, null),
            new EventRow(2, OWN_APP, "u1", "buy", 2_000, 2_000, null),
            new EventRow(3, OTHER_APP, "u2", "view", 3_000, 3_000, null)));
  }

  private static final ResourceExtension RESOURCES = resources();

  private static ResourceExtension resources() {
    ExploreLimits limits = new ExploreLimits(Duration.ofSeconds(10), MAX_ROWS, 2, 1_000);
    ResourceExtension.Builder builder =
        ApiResources.builder(
            new ExploreResource(new ExploreService(APPS, new ReadOnlySqlRunner(STORE, limits))));
    ExploreWriters.all().forEach(builder::addProvider);
    return builder.build();
  }

  @AfterAll
  static void closeStore() {
    STORE.close();
  }

  private static Invocation.Builder sql(long app, String accept) {
    return ApiResources.request(RESOURCES, "/api/v1/apps/" + app + "/sql", TENANT_TOKEN, accept);
  }

  private static Entity<Map<String, String>> query(String text) {
    return Entity.json(Map.of("query", text));
  }

  @Test
  void jsonIsTheDefaultAndSeesOnlyTheAppsEvents() {
    Response response =
        sql(OWN_APP, "*/*").post(query("SELECT event_name FROM events ORDER BY event_id"));
    assertEquals(200, response.getStatus());
    assertTrue(MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType()));
    assertEquals(
        String.valueOf(MAX_ROWS), response.getHeaderString(ExploreResource.ROW_LIMIT_HEADER));
    Map<String, Object> body = body(response);
    assertEquals(List.of(List.of("view"), List.of("buy")), body.get("rows"));
    assertEquals(2, body.get("row_count"));
    assertEquals(false, body.get("truncated"));
  }

  @Test
  void rowsPastTheCapAreCutAndMarked() {
    Map<String, Object> body =
        body(sql(OWN_APP, MediaType.APPLICATION_JSON).post(query("SELECT * FROM range(10)")));
    assertEquals(MAX_ROWS, body.get("row_count"));
    assertEquals(true, body.get("truncated"));
  }

  @Test
  void csvAndArrowAreChosenByAccept() {
    Response csv = sql(OWN_APP, "text/csv").post(query("SELECT 1 AS a, 'x,y' AS b"));
    assertEquals(200, csv.getStatus());
    assertTrue(
        csv.getMediaType().isCompatible(ExploreResource.CSV_TYPE), csv.getMediaType().toString());
    assertEquals(ExploreResource.TRUNCATED_TRAILER, csv.getHeaderString("Trailer"));
    assertEquals("a,b\r\n1,\"x,y\"\r\n", csv.readEntity(String.class));

    Response arrow =
        sql(OWN_APP, ExploreResource.ARROW_STREAM + ", application/json;q=0.5")
            .post(query("SELECT 1 AS a"));
    assertEquals(200, arrow.getStatus());
    assertEquals(ExploreResource.ARROW_TYPE, arrow.getMediaType());
    assertTrue(arrow.readEntity(byte[].class).length > 0);
  }

  @Test
  void theTenantsSqlProblemsAre400sInTheErrorShape() {
    assertError(sql(OWN_APP, "*/*").post(query("SELEC 1")), 400, "sql_syntax_error");
    assertError(sql(OWN_APP, "*/*").post(query("DELETE FROM events")), 400, "sql_not_allowed");
    assertError(
        sql(OWN_APP, "text/csv").post(query("SELECT " + "1 + ".repeat(300) + "1")),
        400,
        "sql_too_long");
  }

  @Test
  void anotherTenantsAppIsNotFoundAndABodyIsRequired() {
    assertError(sql(OTHER_APP, "*/*").post(query("SELECT 1")), 404, "app_not_found");
    assertError(sql(OWN_APP, "*/*").post(Entity.json("{}")), 422, "validation_failed");
    assertError(
        ApiResources.request(RESOURCES, "/api/v1/apps/" + OWN_APP + "/sql", null)
            .post(query("SELECT 1")),
        401,
        "unauthorized");
  }
}
