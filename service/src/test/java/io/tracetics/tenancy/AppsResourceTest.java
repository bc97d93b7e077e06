package io.tracetics.tenancy;

import static io.tracetics.testing.ApiAssertions.assertError;
import static io.tracetics.testing.ApiResources.OPERATOR_TOKEN;
import static io.tracetics.testing.ApiResources.TENANT;
import static io.tracetics.testing.ApiResources.TENANT_TOKEN;
import static io.tracetics.testing.ApiResources.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.tracetics.ids.TenantId;
import io.tracetics.testing.ApiResources;
import io.tracetics.testing.InMemoryApps;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link AppsResource}'s HTTP shapes over apps kept in memory ({@link InMemoryApps}). */
@ExtendWith(DropwizardExtensionsSupport.class)
class AppsResourceTest {
  private final InMemoryApps apps = new InMemoryApps();
  private final ResourceExtension resources = ApiResources.builder(new AppsResource(apps)).build();

  private Invocation.Builder request(String path) {
    return ApiResources.request(resources, path, TENANT_TOKEN);
  }

  @Test
  void createAnswers201WithTheKeyAndALocation() {
    Response created = request("/api/v1/apps").post(Entity.json(Map.of("name", " Shop ")));
    assertEquals(201, created.getStatus());
    assertTrue(MediaType.APPLICATION_JSON_TYPE.isCompatible(created.getMediaType()));
    assertTrue(created.getLocation().toString().endsWith("/api/v1/apps/1"));
    Map<String, Object> body = body(created);
    assertEquals("Shop", body.get("name"));
    assertEquals("key-1-0", body.get("app_key"));
    assertEquals("2026-01-02T03:04:05Z", body.get("created_at"));
  }

  @Test
  void listsAndGetsWithoutKeys() {
    apps.add(TENANT, "a");
    apps.add(TenantId.of(99), "someone else's");
    Map<String, Object> list = body(request("/api/v1/apps").get());
    List<?> listed = (List<?>) list.get("apps");
    assertEquals(1, listed.size());
    assertFalse(((Map<?, ?>) listed.get(0)).containsKey("app_key"));
    Map<String, Object> one = body(request("/api/v1/apps/1").get());
    assertEquals(1, one.get("app_id"));
    assertFalse(one.containsKey("app_key"));
  }

  @Test
  void anotherTenantsAppIsNotFound() {
    apps.add(TenantId.of(99), "someone else's");
    JsonNode body = assertError(request("/api/v1/apps/1").get(), 404, "app_not_found");
    assertTrue(body.get("message").asText().contains("1"), body.toString());
    assertError(request("/api/v1/apps/1").delete(), 404, "app_not_found");
    assertError(request("/api/v1/apps/1/keys/rotate").post(Entity.json("")), 404, "app_not_found");
    assertError(request("/api/v1/apps/0").get(), 404, "not_found"); // not an app id at all
  }

  @Test
  void deleteAnswers204AndRotateAnswersTheNewKey() {
    apps.add(TENANT, "a");
    Response rotated = request("/api/v1/apps/1/keys/rotate").post(Entity.json(""));
    assertEquals(200, rotated.getStatus());
    assertEquals("key-1-0", body(rotated).get("app_key"));
    Response deleted = request("/api/v1/apps/1").delete();
    assertEquals(204, deleted.getStatus());
    assertFalse(deleted.hasEntity());
    assertError(request("/api/v1/apps/1").get(), 404, "app_not_found");
  }

  @Test
  void thePlanLimitIsA403WithItsNumbers() {
    apps.add(TENANT, "a");
    apps.add(TENANT, "b");
    JsonNode body =
        assertError(
            request("/api/v1/apps").post(Entity.json(Map.of("name", "c"))),
            403,
            "app_limit_reached");
    assertEquals(2, body.get("limit").asInt());
    assertEquals(2, body.get("used").asInt());
    assertEquals("free", body.get("plan").asText());
  }

  @Test
  void badNamesAre422() {
    for (Object name : List.of("", "a\u0007b", "x".repeat(201))) {
      JsonNode body =
          assertError(
              request("/api/v1/apps").post(Entity.json(Map.of("name", name))),
              422,
              "validation_failed");
      assertTrue(body.get("errors").isArray(), body.toString());
    }
    assertError(
        request("/api/v1/apps").post(Entity.json("{\"name\": \"x\"")), 400, "malformed_json");
    // Strict JSON: a number is no name.
    assertError(
        request("/api/v1/apps").post(Entity.json("{\"name\": 5}")), 400, "invalid_json_shape");
    assertEquals(List.of(), apps.list(TENANT));
  }

  @Test
  void everyRouteNeedsTheManagementToken() {
    assertError(ApiResources.request(resources, "/api/v1/apps", null).get(), 401, "unauthorized");
    assertError(
        ApiResources.request(resources, "/api/v1/apps", OPERATOR_TOKEN).get(), 401, "unauthorized");
    assertError(
        ApiResources.request(resources, "/api/v1/apps/1", null).delete(), 401, "unauthorized");
  }
}
