package io.tracetics.tenancy;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class TenancyIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http;

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
  }

  /** A fresh tenant per test keeps tests independent and repeatable on the same database. */
  record Tenant(long id, String tenantKey, String token) {}

  Tenant newTenant() {
    Http.Response response =
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "Acme " + System.nanoTime()))
            .send();
    assertEquals(201, response.status(), response::toString);
    JsonNode body = response.json();
    return new Tenant(
        body.get("tenant_id").asLong(),
        body.get("tenant_key").asText(),
        body.get("management_token").asText());
  }

  long newApp(Tenant tenant, String name) {
    Http.Response response =
        http.post("/api/v1/apps").bearer(tenant.token()).json(Map.of("name", name)).send();
    assertEquals(201, response.status(), response::toString);
    return response.json().get("app_id").asLong();
  }

  @Test
  void operatorCreatesTenantWithKeysShownOnce() throws Exception {
    Http.Response response =
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "Acme"))
            .send();
    assertEquals(201, response.status(), response::toString);
    JsonNode body = response.json();
    assertTrue(body.get("tenant_id").asLong() > 0);
    assertEquals("free", body.get("plan").asText());
    String tenantKey = body.get("tenant_key").asText();
    String token = body.get("management_token").asText();
    assertTrue(tenantKey.startsWith("tk_") && tenantKey.length() >= 35, tenantKey);
    assertTrue(token.startsWith("mt_") && token.length() >= 35, token);

    // Stored only as hashes: the secrets appear nowhere in the credentials table.
    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT key_hash, key_prefix FROM credentials WHERE tenant_id = ?")) {
      statement.setLong(1, body.get("tenant_id").asLong());
      try (ResultSet rs = statement.executeQuery()) {
        int rows = 0;
        while (rs.next()) {
          rows++;
          String hash = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
          assertFalse(hash.contains(tenantKey) || hash.contains(token));
          assertTrue(rs.getString(2).length() <= Secrets.VISIBLE_PREFIX_LENGTH);
        }
        assertEquals(2, rows);
      }
    }

    JsonNode self = http.get("/api/v1/tenant").bearer(token).send().json();
    assertEquals("Acme", self.get("name").asText());
    assertEquals(2, self.get("plan").get("max_apps").asInt());
  }

  @Test
  void tenantCreationNeedsTheOperatorToken() {
    assertError(http.post("/api/v1/tenants").json(Map.of("name", "x")).send(), 401, "unauthorized");
    assertError(
        http.post("/api/v1/tenants")
            .bearer("not-the-token-at-all")
            .json(Map.of("name", "x"))
            .send(),
        401,
        "unauthorized");
    // A tenant's own management token is not the operator token.
    Tenant tenant = newTenant();
    assertError(
        http.post("/api/v1/tenants").bearer(tenant.token()).json(Map.of("name", "x")).send(),
        401,
        "unauthorized");
  }

  @Test
  void badTenantRequestsAreClear4xxAndChangeNothing() throws Exception {
    long before = count("SELECT COUNT(*) FROM tenants");
    var op = TestApp.OPERATOR_TOKEN;
    assertError(
        http.post("/api/v1/tenants").bearer(op).body("{\"name\": ").send(), 400, "malformed_json");
    assertError(
        http.post("/api/v1/tenants").bearer(op).body("{\"name\": 42}").send(),
        400,
        "invalid_json_shape");
    assertError(
        http.post("/api/v1/tenants").bearer(op).body("{\"name\": [1]}").send(),
        400,
        "invalid_json_shape");
    assertError(
        http.post("/api/v1/tenants").bearer(op).body("{}").send(), 422, "validation_failed");
    assertError(
        http.post("/api/v1/tenants").bearer(op).body("{\"name\": \"  \"}").send(),
        422,
        "validation_failed");
    assertError(
        http.post("/api/v1/tenants").bearer(op).body("[]").send(), 400, "invalid_json_shape");
    assertError(http.post("/api/v1/tenants").bearer(op).send(), 422, "validation_failed");
    assertError(
        http.post("/api/v1/tenants").bearer(op).json(Map.of("name", "x".repeat(201))).send(),
        422,
        "validation_failed");
    assertError(
        http.post("/api/v1/tenants")
            .bearer(op)
            .bytes("name=x".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded")
            .send(),
        415,
        null);
    assertEquals(before, count("SELECT COUNT(*) FROM tenants"));
  }

  @Test
  void appsLifecycle() {
    Tenant tenant = newTenant();
    Http.Response created =
        http.post("/api/v1/apps").bearer(tenant.token()).json(Map.of("name", "web")).send();
    assertEquals(201, created.status(), created::toString);
    JsonNode app = created.json();
    long appId = app.get("app_id").asLong();
    assertTrue(app.get("app_key").asText().startsWith("ak_"));
    assertEquals(
        "/api/v1/apps/" + appId, java.net.URI.create(created.header("Location")).getPath());

    JsonNode list = http.get("/api/v1/apps").bearer(tenant.token()).send().json();
    assertEquals(1, list.get("apps").size());
    assertEquals(appId, list.get("apps").get(0).get("app_id").asLong());
    assertFalse(list.get("apps").get(0).has("app_key"), "keys are shown only once");

    JsonNode got = http.get("/api/v1/apps/" + appId).bearer(tenant.token()).send().json();
    assertEquals("web", got.get("name").asText());

    JsonNode rotated =
        http.post("/api/v1/apps/" + appId + "/keys/rotate").bearer(tenant.token()).send().json();
    assertNotEquals(app.get("app_key").asText(), rotated.get("app_key").asText());

    assertEquals(204, http.delete("/api/v1/apps/" + appId).bearer(tenant.token()).send().status());
    assertError(
        http.get("/api/v1/apps/" + appId).bearer(tenant.token()).send(), 404, "app_not_found");
    assertError(
        http.delete("/api/v1/apps/" + appId).bearer(tenant.token()).send(), 404, "app_not_found");
    assertEquals(
        0, http.get("/api/v1/apps").bearer(tenant.token()).send().json().get("apps").size());
  }

  @Test
  void appLimitIsA403NamingTheLimitAndPlan() throws Exception {
    Tenant tenant = newTenant();
    newApp(tenant, "one");
    newApp(tenant, "two");
    JsonNode body =
        assertError(
            http.post("/api/v1/apps").bearer(tenant.token()).json(Map.of("name", "three")).send(),
            403,
            "app_limit_reached");
    assertTrue(body.get("message").asText().startsWith("App limit reached"), body::toString);
    assertEquals(2, body.get("limit").asInt());
    assertEquals("free", body.get("plan").asText());
    assertEquals(
        2,
        count(
            "SELECT COUNT(*) FROM tracked_apps WHERE deleted_at IS NULL AND tenant_id = "
                + tenant.id()));
  }

  @Test
  void concurrentCreatesNeverOvershootTheAppLimit() throws Exception {
    Tenant tenant = newTenant();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int n = i;
        results.add(
            pool.submit(
                () ->
                    http.post("/api/v1/apps")
                        .bearer(tenant.token())
                        .json(Map.of("name", "app" + n))
                        .send()
                        .status()));
      }
      int created = 0;
      for (Future<Integer> result : results) {
        int status = result.get();
        assertTrue(status == 201 || status == 403, "status " + status);
        created += status == 201 ? 1 : 0;
      }
      assertEquals(2, created);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anotherTenantsAppsAreNotFound() {
    Tenant alice = newTenant();
    Tenant bob = newTenant();
    long aliceApp = newApp(alice, "alice-web");
    assertError(
        http.get("/api/v1/apps/" + aliceApp).bearer(bob.token()).send(), 404, "app_not_found");
    assertError(
        http.delete("/api/v1/apps/" + aliceApp).bearer(bob.token()).send(), 404, "app_not_found");
    assertError(
        http.post("/api/v1/apps/" + aliceApp + "/keys/rotate").bearer(bob.token()).send(),
        404,
        "app_not_found");
    assertEquals(0, http.get("/api/v1/apps").bearer(bob.token()).send().json().get("apps").size());
    // Alice's app is untouched.
    assertEquals(200, http.get("/api/v1/apps/" + aliceApp).bearer(alice.token()).send().status());
  }

  @Test
  void unknownWrongAndMalformedCredentials() {
    Tenant tenant = newTenant();
    assertError(http.get("/api/v1/apps").send(), 401, "unauthorized");
    assertError(http.get("/api/v1/apps").bearer("mt_unknown").send(), 401, "unauthorized");
    assertError(
        http.get("/api/v1/apps").header("Authorization", "Basic Zm9vOmJhcg==").send(),
        401,
        "unauthorized");
    // The tenant key is a write-only key: it reads nothing.
    assertError(http.get("/api/v1/apps").bearer(tenant.tenantKey()).send(), 401, "unauthorized");
    assertNotNull(http.get("/api/v1/apps").send().header("WWW-Authenticate"));
    assertError(http.get("/api/v1/apps/not-a-number").bearer(tenant.token()).send(), 404, null);
    assertError(http.get("/api/v1/apps/-5").bearer(tenant.token()).send(), 404, null);
  }

  @Test
  void rotatedManagementTokenStopsWorkingAtOnce() {
    Tenant tenant = newTenant();
    JsonNode rotated =
        http.post("/api/v1/tenant/keys/rotate")
            .bearer(tenant.token())
            .json(Map.of("kind", "management_token"))
            .send()
            .json();
    String fresh = rotated.get("key").asText();
    assertError(http.get("/api/v1/apps").bearer(tenant.token()).send(), 401, "unauthorized");
    assertEquals(200, http.get("/api/v1/apps").bearer(fresh).send().status());
    assertError(
        http.post("/api/v1/tenant/keys/rotate")
            .bearer(fresh)
            .json(Map.of("kind", "app_key"))
            .send(),
        422,
        "validation_failed");
  }

  @Test
  void unknownRoutesAndMethodsUseTheErrorShape() {
    assertError(http.get("/api/v1/nothing-here").send(), 404, "not_found");
    assertError(http.request("PATCH", "/api/v1/tenants").send(), 405, "method_not_allowed");
  }

  @Test
  void requestLogsNeverContainKeysOrTokens() throws Exception {
    Tenant tenant = newTenant();
    newApp(tenant, "logged");
    http.get("/api/v1/apps").bearer(tenant.token()).send();
    Path log = Path.of("target/request-log-it.log");
    String text = Files.exists(log) ? Files.readString(log) : "";
    assertTrue(text.contains("/api/v1/apps"), "request log is written");
    assertFalse(text.contains(tenant.token()));
    assertFalse(text.contains(tenant.tenantKey()));
    assertFalse(text.contains(TestApp.OPERATOR_TOKEN));
  }

  @Test
  void healthChecksCoverTheServers() {
    Http admin = new Http(APP.getAdminPort());
    Http.Response response = admin.get("/healthcheck").send();
    assertEquals(200, response.status(), response::toString);
    JsonNode checks = response.json();
    assertTrue(checks.get("mariadb").get("healthy").asBoolean());
    assertTrue(checks.get("redis").get("healthy").asBoolean());
  }

  private static long count(String sql) throws Exception {
    try (Connection connection = TestServers.get().connect();
        ResultSet rs = connection.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
