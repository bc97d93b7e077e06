package io.tracetics.funnels;

import static io.tracetics.testing.ApiAssertions.assertError;
import static io.tracetics.testing.ApiResources.TENANT;
import static io.tracetics.testing.ApiResources.TENANT_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.tracetics.actors.ActorWriters;
import io.tracetics.actors.ActorsService;
import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.app.StrictJson;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.StoreConfig;
import io.tracetics.ids.TenantId;
import io.tracetics.testing.ApiResources;
import io.tracetics.testing.InMemoryApps;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link FunnelsResource}'s ad-hoc report and actors: the real {@link ReportService} and funnel
 * engine over an in-memory DuckDB store, apps kept in memory ({@link InMemoryApps}); the request
 * and error shapes of a funnel definition. Saved funnels need MariaDB: {@code FunnelsIT}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FunnelsResourceTest {
  private static final AnalyticsStore STORE =
      AnalyticsStore.open(StoreConfig.inMemory().withNativeFunnel(false));
  private static final InMemoryApps APPS = new InMemoryApps();
  private static final long OWN_APP = APPS.add(TENANT, "shop").id().value();
  private static final long OTHER_APP = APPS.add(TenantId.of(99), "elsewhere").id().value();

  static {
    STORE.load(
        AnalyticsStores.EVENTS_STREAM,
        5,
        List.of(
            new EventRow(1, OWN_APP, "u1", "view", 1_000, 1_000, null),
            new EventRow(2, OWN_APP, "u1", "buy", 2_000, 2_000, null),
            new EventRow(3, OWN_APP, "u2", "view", 1_000, 1_000, null),
            new EventRow(4, OWN_APP, "u3", "buy", 1_000, 1_000, null),
            new EventRow(5, OTHER_APP, "u9", "view", 1_000, 1_000, null)));
  }

  private static final ResourceExtension RESOURCES = resources();

  private static ResourceExtension resources() {
    ObjectMapper json = Jackson.newObjectMapper();
    StrictJson.configure(json);
    FunnelService funnels = new FunnelService(null, APPS, json); // saved funnels are not used
    ReportService reports = new ReportService(null, STORE, funnels, json, new MetricRegistry());
    ResourceExtension.Builder builder =
        ApiResources.builder(
            new FunnelsResource(funnels, reports, APPS, new ActorsService(STORE, funnels, APPS)));
    ActorWriters.all().forEach(builder::addProvider);
    return builder.build();
  }

  @AfterAll
  static void close() {
    STORE.close();
  }

  private static Response report(long app, String definition) {
    return ApiResources.request(RESOURCES, "/api/v1/apps/" + app + "/funnels/report", TENANT_TOKEN)
        .post(Entity.json(definition));
  }

  private static final String VIEW_THEN_BUY =
      """
      {"window_seconds": 3600, "order": "ordered",
       "steps": [{"event_name": "view"}, {"event_name": "buy"}]}
      """;

  @Test
  void anAdHocReportCountsTheAppsUsersPerStep() {
    Response response = report(OWN_APP, VIEW_THEN_BUY);
    assertEquals(200, response.getStatus());
    assertTrue(MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType()));
    JsonNode body = response.readEntity(JsonNode.class);
    assertEquals(2, body.get("steps").size());
    assertEquals(2, body.get("steps").get(0).get("users").asLong());
    assertEquals(1, body.get("steps").get(1).get("users").asLong());
    assertEquals(false, body.get("cached").asBoolean());
    assertEquals(5, body.get("watermark").get("load_position").asLong());
  }

  @Test
  void aFunnelRuleBrokenIsA422WithTheRuleCodes() {
    JsonNode body =
        assertError(
            report(
                OWN_APP,
                """
                {"window_seconds": 3600, "steps": [{"event_name": "view"}]}
                """),
            422,
            "invalid_funnel");
    assertEquals("step_count_out_of_range", body.get("violations").get(0).get("code").asText());
    assertEquals(
        "window_out_of_range",
        assertError(
                report(
                    OWN_APP,
                    """
                    {"window_seconds": -1,
                     "steps": [{"event_name": "view"}, {"event_name": "buy"}]}
                    """),
                422,
                "invalid_funnel")
            .get("violations")
            .get(0)
            .get("code")
            .asText());
  }

  @Test
  void aMalformedDefinitionIsRefusedBeforeTheEngine() {
    assertError(report(OWN_APP, "{\"window_seconds\": 3600}"), 422, "validation_failed");
    assertError(report(OWN_APP, "{\"steps\": ]}"), 400, "malformed_json");
    assertError(
        report(OWN_APP, "{\"steps\": [{\"event_name\": 5}, {\"event_name\": \"buy\"}]}"),
        400,
        "invalid_json_shape");
  }

  @Test
  void anotherTenantsAppIsNotFoundAndTheTokenIsRequired() {
    assertError(report(OTHER_APP, VIEW_THEN_BUY), 404, "app_not_found");
    assertError(
        ApiResources.request(RESOURCES, "/api/v1/apps/" + OWN_APP + "/funnels/report", null)
            .post(Entity.json(VIEW_THEN_BUY)),
        401,
        "unauthorized");
  }

  private static Response actors(long app, String body, String accept) {
    return ApiResources.request(
            RESOURCES, "/api/v1/apps/" + app + "/funnels/report/actors", TENANT_TOKEN, accept)
        .post(Entity.json(body));
  }

  private static String actorsBody(String cell) {
    return "{\"definition\": " + VIEW_THEN_BUY + ", " + cell + "}";
  }

  @Test
  void theActorsOfACellAreThePeopleTheReportCounts() {
    Response reached =
        actors(OWN_APP, actorsBody("\"step\": 1, \"status\": \"reached\""), "application/json");
    assertEquals(200, reached.getStatus());
    assertEquals("1", reached.getHeaderString(FunnelsResource.TOTAL_HEADER));
    JsonNode body = reached.readEntity(JsonNode.class);
    assertEquals(1, body.get("total").asLong());
    assertTrue(body.get("next_cursor").isNull());
    JsonNode u1 = body.get("actors").get(0);
    assertEquals("u1", u1.get("user_identifier").asText());
    assertEquals(1, u1.get("reached_step").asInt());
    assertEquals("1970-01-01T00:00:01.000Z", u1.get("entered_at").asText());
    assertEquals("1970-01-01T00:00:02.000Z", u1.get("step_times").get(1).asText());
    assertEquals(5, body.get("watermark").get("load_position").asLong());

    JsonNode dropped =
        actors(OWN_APP, actorsBody("\"step\": 1, \"status\": \"dropped\""), "application/json")
            .readEntity(JsonNode.class);
    assertEquals(1, dropped.get("total").asLong());
    assertEquals("u2", dropped.get("actors").get(0).get("user_identifier").asText());
    assertEquals(0, dropped.get("actors").get(0).get("reached_step").asInt());
  }

  @Test
  void pagesFollowTheCursorAndCsvStreamsTheWholeList() {
    JsonNode first =
        actors(OWN_APP, actorsBody("\"step\": 0, \"limit\": 1"), "application/json")
            .readEntity(JsonNode.class);
    assertEquals(2, first.get("total").asLong());
    assertEquals(1, first.get("actors").size());
    String cursor = first.get("next_cursor").asText();
    JsonNode second =
        actors(
                OWN_APP,
                actorsBody("\"step\": 0, \"limit\": 1, \"cursor\": \"" + cursor + "\""),
                "application/json")
            .readEntity(JsonNode.class);
    assertEquals(1, second.get("actors").size());
    assertTrue(second.get("next_cursor").isNull());
    assertTrue(
        !first
            .get("actors")
            .get(0)
            .get("user_identifier")
            .equals(second.get("actors").get(0).get("user_identifier")));

    Response csv = actors(OWN_APP, actorsBody("\"step\": 0"), "text/csv");
    assertEquals(200, csv.getStatus());
    String text = csv.readEntity(String.class);
    String[] lines = text.split("\r\n");
    assertEquals("user_identifier,entered_at,reached_step,step_0_at,step_1_at", lines[0]);
    assertEquals(3, lines.length, text);
    assertTrue(
        text.contains(
            "u1,1970-01-01T00:00:01.000Z,1,1970-01-01T00:00:01.000Z,1970-01-01T00:00:02.000Z"));
    assertTrue(text.contains("u2,1970-01-01T00:00:01.000Z,0,1970-01-01T00:00:01.000Z,\r\n"));
  }

  @Test
  void aCellTheReportCannotHaveIsA400AndAnUnknownValueIsEmpty() {
    JsonNode out =
        assertError(
            actors(OWN_APP, actorsBody("\"step\": 2"), "application/json"),
            400,
            "invalid_actors_request");
    assertEquals("step_out_of_range", out.get("violations").get(0).get("code").asText());
    assertError(
        actors(OWN_APP, actorsBody("\"step\": 0, \"status\": \"dropped\""), "application/json"),
        400,
        "invalid_actors_request");
    assertError(
        actors(OWN_APP, actorsBody("\"step\": 0, \"breakdown_value\": \"x\""), "application/json"),
        400,
        "invalid_actors_request");
    assertError(
        actors(OWN_APP, actorsBody("\"step\": 0, \"cursor\": \"nonsense\""), "application/json"),
        400,
        "invalid_cursor");
    assertError(
        actors(OWN_APP, actorsBody("\"step\": 0, \"limit\": 0"), "application/json"),
        400,
        "invalid_actors_request");
    assertError(
        actors(OTHER_APP, actorsBody("\"step\": 0"), "application/json"), 404, "app_not_found");
    String byValue =
        "{\"definition\": {\"window_seconds\": 3600, \"breakdown\": \"plan\", \"steps\": "
            + "[{\"event_name\": \"view\"}, {\"event_name\": \"buy\"}]},"
            + " \"step\": 0, \"breakdown_value\": \"no-such-plan\"}";
    JsonNode empty = actors(OWN_APP, byValue, "application/json").readEntity(JsonNode.class);
    assertEquals(0, empty.get("total").asLong());
    assertEquals(0, empty.get("actors").size());
  }
}
