package io.tracetics.tenancy;

import static io.tracetics.testing.ApiAssertions.assertError;
import static io.tracetics.testing.ApiResources.OPERATOR_TOKEN;
import static io.tracetics.testing.ApiResources.TENANT_TOKEN;
import static io.tracetics.testing.ApiResources.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.tracetics.errors.ApiException;
import io.tracetics.ids.TenantId;
import io.tracetics.testing.ApiResources;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TenantsResource}'s HTTP shapes over a stub {@link TenantService}: status codes, bodies,
 * the one error envelope and both bearer-token schemes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TenantsResourceTest {
  private static final PlanRow FREE = new PlanRow("free", "Free", 2, 5, 5, 100_000L, 0, true);
  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");

  /** The tenant service without a database: tenants 1..n, calls recorded. */
  static final class StubTenants extends TenantService {
    final List<String> calls = new ArrayList<>();
    int count = 3;

    StubTenants() {
      super(null, null, null);
    }

    static TenantRow row(long id) {
      return new TenantRow(TenantId.of(id), "tenant " + id, FREE, CREATED, null, null);
    }

    @Override
    public CreatedTenant create(String name, String plan) {
      calls.add("create " + name + " " + plan);
      if ("gold".equals(plan)) {
        throw ApiException.badRequest("unknown_plan", "There is no plan 'gold'");
      }
      return new CreatedTenant(row(42), "tk_secret", "mt_secret");
    }

    @Override
    public List<TenantRow> list(long afterId, int limit) {
      calls.add("list " + afterId + " " + limit);
      List<TenantRow> page = new ArrayList<>();
      for (long id = afterId + 1; id <= count && page.size() < limit; id++) {
        page.add(row(id));
      }
      return page;
    }

    @Override
    public TenantRow get(TenantId id) {
      return row(id.value());
    }

    @Override
    public TenantRow setPlan(TenantId tenant, String plan) {
      calls.add("setPlan " + tenant.value() + " " + plan);
      if (tenant.value() == 404) {
        throw ApiException.notFound("Tenant", tenant.value());
      }
      return row(tenant.value());
    }

    @Override
    public String rotate(TenantId tenant, CredentialKind kind) {
      calls.add("rotate " + tenant.value() + " " + kind.dbValue());
      return "new_secret";
    }
  }

  private static final StubTenants SERVICE = new StubTenants();

  private static final ResourceExtension RESOURCES =
      ApiResources.builder(new TenantsResource(SERVICE)).build();

  @BeforeEach
  void reset() {
    SERVICE.calls.clear();
    SERVICE.count = 3;
  }

  private static Invocation.Builder request(String pathAndQuery, String token) {
    return ApiResources.request(RESOURCES, pathAndQuery, token);
  }

  @Test
  void createAnswers201WithTheSecretsOnceAndALocation() {
    Response response =
        request("/api/v1/tenants", OPERATOR_TOKEN)
            .post(Entity.json(Map.of("name", "  Acme  ", "plan", " free ")));
    assertEquals(201, response.getStatus());
    assertTrue(response.getLocation().toString().endsWith("/api/v1/tenant"));
    assertEquals(
        Map.of(
            "tenant_id", 42,
            "name", "tenant 42",
            "tenant_key", "tk_secret",
            "management_token", "mt_secret",
            "plan", "free"),
        body(response));
    assertEquals(List.of("create Acme free"), SERVICE.calls); // names and plans are stripped
  }

  @Test
  void invalidBodiesAreRefusedBeforeTheService() {
    assertError(
        request("/api/v1/tenants", OPERATOR_TOKEN).post(Entity.json(Map.of("name", " "))),
        422,
        "validation_failed");
    assertError(
        request("/api/v1/tenants", OPERATOR_TOKEN).post(Entity.json("{\"name\": ")),
        400,
        "malformed_json");
    assertError(
        request("/api/v1/tenants", OPERATOR_TOKEN).post(Entity.json(null)),
        422,
        "validation_failed");
    assertEquals(List.of(), SERVICE.calls);
  }

  @Test
  void aServiceRefusalKeepsItsStatusAndKey() {
    JsonNode body =
        assertError(
            request("/api/v1/tenants", OPERATOR_TOKEN)
                .post(Entity.json(Map.of("name", "Acme", "plan", "gold"))),
            400,
            "unknown_plan");
    assertEquals("There is no plan 'gold'", body.get("message").asText());
    assertError(
        request("/api/v1/tenants/404", OPERATOR_TOKEN)
            .method("PATCH", Entity.json(Map.of("plan", "free"))),
        404,
        "tenant_not_found");
  }

  @Test
  void theOperatorTokenIsRequiredForOperatorRoutes() {
    Response none = request("/api/v1/tenants", null).get();
    assertError(none, 401, "unauthorized");
    assertEquals(
        "Bearer realm=\"tracetics-operator\"", none.getHeaderString(HttpHeaders.WWW_AUTHENTICATE));
    assertError(request("/api/v1/tenants", "wrong-token-wrong-token").get(), 401, "unauthorized");
    // A tenant's token is no operator token.
    assertError(request("/api/v1/tenants", TENANT_TOKEN).get(), 401, "unauthorized");
    assertEquals(List.of(), SERVICE.calls);
  }

  @Test
  void tenantRoutesTakeTheManagementToken() {
    Response none = request("/api/v1/tenant", null).get();
    assertError(none, 401, "unauthorized");
    assertEquals("Bearer realm=\"tracetics\"", none.getHeaderString(HttpHeaders.WWW_AUTHENTICATE));
    assertError(request("/api/v1/tenant", OPERATOR_TOKEN).get(), 401, "unauthorized");
    Response self = request("/api/v1/tenant", TENANT_TOKEN).get();
    assertEquals(200, self.getStatus());
    assertEquals((int) ApiResources.TENANT.value(), body(self).get("tenant_id"));
  }

  @Test
  void listPagesWithACursor() {
    SERVICE.count = 5;
    Map<String, Object> first = body(request("/api/v1/tenants?limit=2", OPERATOR_TOKEN).get());
    assertEquals("2", first.get("next_cursor"));
    assertEquals(2, ((List<?>) first.get("tenants")).size());
    Map<String, Object> last =
        body(request("/api/v1/tenants?limit=2&cursor=4", OPERATOR_TOKEN).get());
    assertEquals(null, last.get("next_cursor"));
    assertEquals(1, ((List<?>) last.get("tenants")).size());
    assertEquals(List.of("list 0 2", "list 4 2"), SERVICE.calls);
  }

  @Test
  void badPagingParametersAreA400() {
    for (String query : List.of("limit=0", "limit=1001", "limit=ten", "cursor=-1", "cursor=x")) {
      JsonNode body =
          assertError(
              request("/api/v1/tenants?" + query, OPERATOR_TOKEN).get(), 400, "invalid_parameter");
      assertTrue(body.get("message").asText().startsWith("Query parameter '"), query);
    }
    assertEquals(List.of(), SERVICE.calls);
  }

  @Test
  void rotateTakesOnlyTheTwoKinds() {
    Response rotated =
        request("/api/v1/tenant/keys/rotate", TENANT_TOKEN)
            .post(Entity.json(Map.of("kind", "management_token")));
    assertEquals(200, rotated.getStatus());
    assertEquals(Map.of("kind", "management_token", "key", "new_secret"), body(rotated));
    assertError(
        request("/api/v1/tenant/keys/rotate", TENANT_TOKEN)
            .post(Entity.json(Map.of("kind", "app_key"))),
        422,
        "validation_failed");
    assertEquals(List.of("rotate 7 management_token"), SERVICE.calls);
  }

  @Test
  void aBadPathIdIsA404InTheErrorShape() {
    assertError(
        request("/api/v1/tenants/abc", OPERATOR_TOKEN)
            .method("PATCH", Entity.json(Map.of("plan", "free"))),
        404,
        "not_found");
  }
}
