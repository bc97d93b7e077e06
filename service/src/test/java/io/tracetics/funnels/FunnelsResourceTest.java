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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link FunnelsResource}'s ad-hoc report: the real {@link ReportService} and funnel engine over an
 * in-memory DuckDB store, apps kept in memory ({@link InMemoryApps}); the request and error shapes
 * of a funnel definition. Saved funnels need MariaDB: {@code FunnelsIT}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FunnelsResourceTest {
  private static final AnalyticsStore STORE =
      AnalyticsStore.open(StoreConfig.inMemory().withNativeFunnel(false));
  private static final InMemoryApps APPS = new InMemoryApps();
  private static final long OWN_APP = APPS.add(TENANT, "shop").id().value();
  private static final long OTHER_APP = APPS.add(TenantId.of(99), "elsewhere").id().value();
  private static final ExecutorService REFRESHER = Executors.newSingleThreadExecutor();

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
    ReportService reports =
        new ReportService(null, STORE, funnels, json, new MetricRegistry(), REFRESHER);
    return ApiResources.builder(new FunnelsResource(funnels, reports, APPS)).build();
  }

  @AfterAll
  static void close() {
    REFRESHER.shutdownNow();
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
}
