package io.tracetics.idempotency;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Idempotency-Key through the real API: a retry gets the first answer without a second creation,
 * another body is 422, the key is the caller's own (another tenant's same key is independent), a
 * one-time secret is replayed only to the credential that created it, and a bad key is 400.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class IdempotencyIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  private Http http;
  private Tenants.TenantApp tenant;
  private final String key = "it-" + UUID.randomUUID();

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
    tenant = Tenants.create(http);
  }

  private Http.Response createApp(Tenants.TenantApp owner, String name, String idempotencyKey) {
    return http.post("/api/v1/apps")
        .bearer(owner.managementToken())
        .header("Idempotency-Key", idempotencyKey)
        .json(Map.of("name", name))
        .send();
  }

  private int appCount(Tenants.TenantApp owner) {
    return http.get("/api/v1/apps")
        .bearer(owner.managementToken())
        .send()
        .json()
        .get("apps")
        .size();
  }

  @Test
  void aRetryGetsTheFirstAnswerAndCreatesNothing() {
    Http.Response first = createApp(tenant, "ios", key);
    assertEquals(201, first.status(), first::toString);
    assertNull(first.header("Idempotent-Replayed"));
    Http.Response retry = createApp(tenant, "ios", key);
    assertEquals(201, retry.status(), retry::toString);
    assertEquals("true", retry.header("Idempotent-Replayed"));
    assertEquals(first.json(), retry.json(), "the same app, with the same one-time app key");
    assertEquals(first.header("Location"), retry.header("Location"));
    assertEquals(2, appCount(tenant), "the seeded app and one more");
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() {
    assertEquals(201, createApp(tenant, "android", key).status());
    assertError(createApp(tenant, "web2", key), 422, "idempotency_key_reused");
    assertEquals(2, appCount(tenant));
  }

  @Test
  void anotherTenantsSameKeyIsIndependent() {
    Tenants.TenantApp other = Tenants.create(http);
    Http.Response mine = createApp(tenant, "same", key);
    Http.Response theirs = createApp(other, "same", key);
    assertEquals(201, mine.status());
    assertEquals(201, theirs.status());
    assertNull(theirs.header("Idempotent-Replayed"));
    assertNotEquals(mine.json().get("app_id"), theirs.json().get("app_id"));
  }

  @Test
  void aSecretIsReplayedOnlyToTheCredentialThatCreatedIt() {
    Map<String, Object> request = Map.of("name", "bi", "scopes", List.of("reports:read"));
    Http.Response first =
        http.post("/api/v1/tenant/api-keys")
            .bearer(tenant.managementToken())
            .header("Idempotency-Key", key)
            .json(request)
            .send();
    assertEquals(201, first.status(), first::toString);
    Http.Response retry =
        http.post("/api/v1/tenant/api-keys")
            .bearer(tenant.managementToken())
            .header("Idempotency-Key", key)
            .json(request)
            .send();
    assertEquals(first.json().get("key").asText(), retry.json().get("key").asText());

    // Another credential of the same tenant (an admin API key) with the same key: its own request.
    Http.Response admin =
        http.post("/api/v1/tenant/api-keys")
            .bearer(tenant.managementToken())
            .json(Map.of("name", "admin", "scopes", List.of("admin")))
            .send();
    assertEquals(201, admin.status(), admin::toString);
    Http.Response byApiKey =
        http.post("/api/v1/tenant/api-keys")
            .bearer(admin.json().get("key").asText())
            .header("Idempotency-Key", key)
            .json(request)
            .send();
    assertEquals(201, byApiKey.status(), byApiKey::toString);
    assertNull(byApiKey.header("Idempotent-Replayed"));
    assertNotEquals(first.json().get("key").asText(), byApiKey.json().get("key").asText());
  }

  @Test
  void theOperatorsTenantCreationIsIdempotentToo() {
    Map<String, String> request = Map.of("name", "T" + System.nanoTime());
    Http.Response first =
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .header("Idempotency-Key", key)
            .json(request)
            .send();
    assertEquals(201, first.status(), first::toString);
    Http.Response retry =
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .header("Idempotency-Key", key)
            .json(request)
            .send();
    JsonNode a = first.json();
    JsonNode b = retry.json();
    assertEquals(a.get("tenant_id"), b.get("tenant_id"));
    assertEquals(a.get("management_token"), b.get("management_token"));
  }

  @Test
  void aClientErrorIsKeptAndABadKeyIs400() {
    Http.Response invalid =
        http.post("/api/v1/apps")
            .bearer(tenant.managementToken())
            .header("Idempotency-Key", key)
            .json(Map.of("name", ""))
            .send();
    int status = invalid.status();
    Http.Response again =
        http.post("/api/v1/apps")
            .bearer(tenant.managementToken())
            .header("Idempotency-Key", key)
            .json(Map.of("name", ""))
            .send();
    assertEquals(status, again.status());
    assertEquals("true", again.header("Idempotent-Replayed"));
    assertEquals(invalid.json(), again.json());

    assertError(createApp(tenant, "x", "has space"), 400, "invalid_idempotency_key");
  }
}
