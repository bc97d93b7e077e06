package io.tracetics.tenancy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** API keys through the real API: issue, use, list, revoke, and the checks on their definition. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiKeysIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();
  private static final String KEYS = "/api/v1/tenant/api-keys";

  private Http http;
  private Tenants.TenantApp tenant;

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
    tenant = Tenants.create(http);
  }

  @Test
  void aKeyIsShownOnceStoredHashedAndListedWithItsLastUse() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    Http.Response created =
        http.post(KEYS)
            .bearer(tenant.managementToken())
            .json(
                Map.of(
                    "name",
                    "metabase",
                    "scopes",
                    List.of("reports:read", "sql:read"),
                    "app_ids",
                    List.of(tenant.appId())))
            .send();
    assertEquals(201, created.status(), created::toString);
    JsonNode body = created.json();
    String key = body.get("key").asText();
    assertTrue(key.matches("rk_[A-Za-z0-9_-]{32}"), key);
    long keyId = body.get("key_id").asLong();
    assertTrue(created.header("Location").endsWith(KEYS + "/" + keyId));
    assertEquals("metabase", body.get("name").asText());
    assertEquals(List.of("reports:read", "sql:read"), texts(body.get("scopes")));
    assertEquals(tenant.appId(), body.get("app_ids").get(0).asLong());
    assertTrue(body.get("expires_at").isNull());
    assertFalse(body.get("expired").asBoolean());
    assertTrue(body.get("last_used_at").isNull());
    assertTrue(Instant.parse(body.get("created_at").asText()).isAfter(before));

    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT kind, key_hash, key_prefix FROM credentials WHERE id = ?")) {
      statement.setLong(1, keyId);
      try (ResultSet row = statement.executeQuery()) {
        assertTrue(row.next());
        assertEquals("api_key", row.getString("kind"));
        assertArrayEquals(Secrets.hash(key), row.getBytes("key_hash"));
        assertEquals(key.substring(0, 10), row.getString("key_prefix"));
      }
    }

    // The key works for what its scopes allow.
    assertEquals(
        200, http.get("/api/v1/apps/" + tenant.appId() + "/funnels").bearer(key).send().status());
    JsonNode sql =
        http.post("/api/v1/apps/" + tenant.appId() + "/sql")
            .bearer(key)
            .json(Map.of("query", "SELECT 1 AS one"))
            .send()
            .successJson();
    assertEquals(1, sql.get("rows").get(0).get(0).asInt(), sql::toString);

    Http.Response listed = http.get(KEYS).bearer(tenant.managementToken()).send();
    assertEquals(200, listed.status(), listed::toString);
    JsonNode keys = listed.json().get("api_keys");
    assertEquals(1, keys.size());
    assertEquals(keyId, keys.get(0).get("key_id").asLong());
    assertFalse(keys.get(0).has("key"), "the key is never listed");
    assertFalse(listed.text().contains(key.substring(10)), "no part past the prefix");
    assertTrue(Instant.parse(keys.get(0).get("last_used_at").asText()).isAfter(before));
  }

  @Test
  void aRevokedKeyStopsAtOnceAndRevokingAgainIsNotFound() {
    String key = create(tenant.managementToken(), List.of("reports:read")).get("key").asText();
    long keyId = id(key);
    assertEquals(200, http.get("/api/v1/apps").bearer(key).send().status());
    assertEquals(
        204, http.delete(KEYS + "/" + keyId).bearer(tenant.managementToken()).send().status());
    Http.Response refused = http.get("/api/v1/apps").bearer(key).send();
    assertEquals(401, refused.status());
    assertEquals("unauthorized", refused.json().get("error").asText());
    Http.Response again = http.delete(KEYS + "/" + keyId).bearer(tenant.managementToken()).send();
    assertEquals(404, again.status());
    assertEquals("api_key_not_found", again.json().get("error").asText());
    assertEquals(404, http.delete(KEYS + "/abc").bearer(tenant.managementToken()).send().status());
    assertEquals(
        0, http.get(KEYS).bearer(tenant.managementToken()).send().json().get("api_keys").size());
  }

  @Test
  void anotherTenantCanNeitherSeeNorRevokeTheKey() {
    String key = create(tenant.managementToken(), List.of("reports:read")).get("key").asText();
    long keyId = id(key);
    Tenants.TenantApp other = Tenants.create(http);
    Http.Response foreign = http.delete(KEYS + "/" + keyId).bearer(other.managementToken()).send();
    assertEquals(404, foreign.status());
    assertEquals(
        0, http.get(KEYS).bearer(other.managementToken()).send().json().get("api_keys").size());
    assertEquals(200, http.get("/api/v1/apps").bearer(key).send().status(), "still live");
    // Nor does the key reach the other tenant's app.
    assertEquals(
        404, http.get("/api/v1/apps/" + other.appId() + "/funnels").bearer(key).send().status());
  }

  @Test
  void anAdminKeyManagesKeysAndTheOthersMayNot() {
    String admin = create(tenant.managementToken(), List.of("admin")).get("key").asText();
    JsonNode made = create(admin, List.of("funnels:write"));
    String writer = made.get("key").asText();
    Http.Response refused =
        http.post(KEYS)
            .bearer(writer)
            .json(Map.of("name", "escalate", "scopes", List.of("admin")))
            .send();
    assertEquals(403, refused.status());
    assertEquals("insufficient_scope", refused.json().get("error").asText());
    assertEquals("admin", refused.json().get("required_scope").asText());
    assertEquals(2, http.get(KEYS).bearer(admin).send().json().get("api_keys").size());
    assertEquals(
        204, http.delete(KEYS + "/" + made.get("key_id").asLong()).bearer(admin).send().status());

    JsonNode access =
        http.get("/api/v1/tenant/access").bearer(tenant.managementToken()).send().json();
    assertEquals("management_token", access.get("credential").asText());
    assertEquals(
        List.of("reports:read", "sql:read", "funnels:write", "admin"), texts(access.get("scopes")));
    assertTrue(access.get("app_ids").isNull());
  }

  @Test
  void badDefinitionsAreRefusedAndStoreNothing() {
    assertRefused(400, "invalid_name", Map.of("scopes", List.of("admin")));
    assertRefused(400, "invalid_scopes", Map.of("name", "k"));
    assertRefused(400, "invalid_scopes", Map.of("name", "k", "scopes", List.of("everything")));
    assertRefused(
        400,
        "invalid_app_ids",
        Map.of("name", "k", "scopes", List.of("admin"), "app_ids", List.of()));
    assertRefused(
        422,
        "unknown_app",
        Map.of(
            "name", "k", "scopes", List.of("admin"), "app_ids", List.of(tenant.appId() + 100000)));
    assertRefused(
        400,
        "invalid_expires_at",
        Map.of("name", "k", "scopes", List.of("admin"), "expires_at", "2020-01-01T00:00:00Z"));
    assertRefused(
        400,
        "invalid_expires_at",
        Map.of("name", "k", "scopes", List.of("admin"), "expires_at", "next week"));
    Http.Response wrongType =
        http.post(KEYS)
            .bearer(tenant.managementToken())
            .body("{\"name\":\"k\",\"scopes\":\"admin\"}")
            .send();
    assertEquals(400, wrongType.status(), wrongType::toString);
    assertEquals(
        0, http.get(KEYS).bearer(tenant.managementToken()).send().json().get("api_keys").size());
  }

  private void assertRefused(int status, String error, Map<String, Object> body) {
    Http.Response refused = http.post(KEYS).bearer(tenant.managementToken()).json(body).send();
    assertEquals(status, refused.status(), refused::toString);
    assertEquals(error, refused.json().get("error").asText(), refused::toString);
  }

  private JsonNode create(String token, List<String> scopes) {
    Http.Response created =
        http.post(KEYS).bearer(token).json(Map.of("name", "k", "scopes", scopes)).send();
    assertEquals(201, created.status(), created::toString);
    return created.json();
  }

  private long id(String key) {
    return http.get("/api/v1/tenant/access")
        .bearer(key)
        .send()
        .successJson()
        .get("key_id")
        .asLong();
  }

  private static List<String> texts(JsonNode array) {
    java.util.List<String> out = new java.util.ArrayList<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }
}
