package io.tracetics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Creates a fresh tenant and app through the API, so each test is isolated. */
public final class Tenants {
  private Tenants() {}

  /** A tenant with one app and all its secrets. */
  public record TenantApp(
      long tenantId, String tenantKey, String managementToken, long appId, String appKey) {}

  public static TenantApp create(Http http) {
    return create(http, Map.of("name", "T" + System.nanoTime()));
  }

  /**
   * A tenant on {@code plan} (e.g. {@code business}, whose quota never stops a benchmark) with one
   * app.
   */
  public static TenantApp create(Http http, String plan) {
    return create(http, Map.of("name", "T" + System.nanoTime(), "plan", plan));
  }

  private static TenantApp create(Http http, Map<String, String> tenantRequest) {
    Http.Response tenant =
        http.post("/api/v1/tenants").bearer(TestApp.OPERATOR_TOKEN).json(tenantRequest).send();
    assertEquals(201, tenant.status(), tenant::toString);
    JsonNode t = tenant.json();
    String token = t.get("management_token").asText();
    Http.Response app = http.post("/api/v1/apps").bearer(token).json(Map.of("name", "web")).send();
    assertEquals(201, app.status(), app::toString);
    JsonNode a = app.json();
    return new TenantApp(
        t.get("tenant_id").asLong(),
        t.get("tenant_key").asText(),
        token,
        a.get("app_id").asLong(),
        a.get("app_key").asText());
  }
}
