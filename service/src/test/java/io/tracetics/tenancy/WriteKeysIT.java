package io.tracetics.tenancy;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.Tenants.TenantApp;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Write keys through the API: issued once, stored hashed, listed, revoked with their app. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WriteKeysIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  Http http;

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
  }

  String path(TenantApp app) {
    return "/api/v1/apps/" + app.appId() + "/write-keys";
  }

  JsonNode create(TenantApp app) {
    Http.Response created = http.post(path(app)).bearer(app.managementToken()).send();
    assertEquals(201, created.status(), created::toString);
    return created.json();
  }

  /** A request that only a live write key of the app passes (a Segment track call). */
  int track(String writeKey) {
    return http.post("/v1/track")
        .header(
            "Authorization",
            "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString(
                        (writeKey + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .json(Map.of("userId", "u1", "event", "checked"))
        .send()
        .status();
  }

  @Test
  void createShowsTheKeyOnceAndStoresOnlyItsHash() throws Exception {
    TenantApp app = Tenants.create(http);
    Instant before = Instant.now().minusSeconds(5);
    Http.Response created = http.post(path(app)).bearer(app.managementToken()).send();
    assertEquals(201, created.status(), created::toString);
    JsonNode body = created.json();
    String key = body.get("write_key").asText();
    assertTrue(key.matches("wk_[A-Za-z0-9_-]{32}"), key);
    long keyId = body.get("key_id").asLong();
    assertTrue(created.header("Location").endsWith(path(app) + "/" + keyId));
    assertEquals(app.appId(), body.get("app_id").asLong());
    assertEquals(key.substring(0, 10), body.get("key_prefix").asText());
    assertTrue(Instant.parse(body.get("created_at").asText()).isAfter(before));
    assertTrue(body.get("revoked_at").isNull());

    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT kind, key_hash, key_prefix, app_id FROM credentials WHERE id = ?")) {
      statement.setLong(1, keyId);
      try (ResultSet row = statement.executeQuery()) {
        assertTrue(row.next());
        assertEquals("write_key", row.getString("kind"));
        assertArrayEquals(Secrets.hash(key), row.getBytes("key_hash"));
        assertEquals(key.substring(0, 10), row.getString("key_prefix"));
        assertEquals(app.appId(), row.getLong("app_id"));
      }
    }

    Http.Response listed = http.get(path(app)).bearer(app.managementToken()).send();
    assertEquals(200, listed.status(), listed::toString);
    JsonNode keys = listed.json().get("write_keys");
    assertEquals(1, keys.size());
    assertEquals(keyId, keys.get(0).get("key_id").asLong());
    assertFalse(keys.get(0).has("write_key"), "the key is never listed");
    assertFalse(listed.text().contains(key.substring(10)), "no part past the prefix");
  }

  @Test
  void revokedKeysStopWorkingOthersOfTheAppKeepWorking() {
    TenantApp app = Tenants.create(http);
    JsonNode first = create(app);
    JsonNode second = create(app);
    assertNotEquals(first.get("write_key").asText(), second.get("write_key").asText());
    assertEquals(200, track(first.get("write_key").asText()));

    Http.Response revoked =
        http.delete(path(app) + "/" + first.get("key_id").asLong())
            .bearer(app.managementToken())
            .send();
    assertEquals(204, revoked.status(), revoked::toString);
    assertEquals(401, track(first.get("write_key").asText()));
    assertEquals(200, track(second.get("write_key").asText()));
    Http.Response again =
        http.delete(path(app) + "/" + first.get("key_id").asLong())
            .bearer(app.managementToken())
            .send();
    assertEquals(204, again.status(), "revoking a revoked key changes nothing");

    JsonNode keys = http.get(path(app)).bearer(app.managementToken()).send().json();
    assertEquals(2, keys.get("write_keys").size());
    assertFalse(keys.get("write_keys").get(0).get("revoked_at").isNull());
    assertTrue(keys.get("write_keys").get(1).get("revoked_at").isNull());
  }

  @Test
  void deletingTheAppRevokesItsWriteKeys() {
    TenantApp app = Tenants.create(http);
    String key = create(app).get("write_key").asText();
    assertEquals(200, track(key));
    assertEquals(
        204,
        http.delete("/api/v1/apps/" + app.appId()).bearer(app.managementToken()).send().status());
    assertEquals(401, track(key));
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM credentials WHERE app_id = ? AND kind = 'write_key'"
                + " AND revoked_at IS NOT NULL",
            app.appId()));
    assertError(http.get(path(app)).bearer(app.managementToken()).send(), 404, "app_not_found");
  }

  @Test
  void anotherTenantsAppUnknownKeysAndMissingTokensAreRefused() {
    TenantApp app = Tenants.create(http);
    TenantApp other = Tenants.create(http);
    long keyId = create(app).get("key_id").asLong();
    assertError(http.post(path(app)).bearer(other.managementToken()).send(), 404, "app_not_found");
    assertError(http.get(path(app)).bearer(other.managementToken()).send(), 404, "app_not_found");
    assertError(
        http.delete(path(app) + "/" + keyId).bearer(other.managementToken()).send(),
        404,
        "app_not_found");
    assertError(
        http.delete(path(other) + "/" + keyId).bearer(other.managementToken()).send(),
        404,
        "write_key_not_found");
    assertError(http.post(path(app)).send(), 401, "unauthorized");
    assertError(http.post(path(app)).bearer(app.appKey()).send(), 401, "unauthorized");
    assertError(http.get(path(app)).bearer(app.tenantKey()).send(), 401, "unauthorized");
    assertEquals(
        1,
        http.get(path(app)).bearer(app.managementToken()).send().json().get("write_keys").size());
  }

  @Test
  void aWriteKeyOpensNothingButTheSegmentEndpoints() {
    TenantApp app = Tenants.create(http);
    String key = create(app).get("write_key").asText();
    assertError(http.get("/api/v1/apps").bearer(key).send(), 401, "unauthorized");
    assertError(http.get(path(app)).bearer(key).send(), 401, "unauthorized");
    Http.Response events =
        http.post("/api/v1/events")
            .header("X-OL-Tenant-Key", app.tenantKey())
            .header("X-OL-App-Key", key)
            .json(Map.of("event_name", "a", "user_identifier", "u"))
            .send();
    assertError(events, 401, "invalid_keys");
  }

  @Test
  void anAppHoldsABoundedNumberOfLiveKeysEvenUnderConcurrentCreates() throws Exception {
    TenantApp app = Tenants.create(http);
    int limit = WriteKeyService.MAX_LIVE_KEYS_PER_APP;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Integer> statuses = new ArrayList<>();
    try {
      List<Callable<Http.Response>> calls = new ArrayList<>();
      for (int i = 0; i < limit + 5; i++) {
        calls.add(() -> http.post(path(app)).bearer(app.managementToken()).send());
      }
      for (Future<Http.Response> response : pool.invokeAll(calls)) {
        statuses.add(response.get().status());
        if (response.get().status() == 403) {
          JsonNode body = assertError(response.get(), 403, "write_key_limit_reached");
          assertEquals(limit, body.get("limit").asInt());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(limit, statuses.stream().filter(s -> s == 201).count());
    assertEquals(5, statuses.stream().filter(s -> s == 403).count());
    JsonNode keys = http.get(path(app)).bearer(app.managementToken()).send().json();
    long revokedId = keys.get("write_keys").get(0).get("key_id").asLong();
    assertEquals(
        204,
        http.delete(path(app) + "/" + revokedId).bearer(app.managementToken()).send().status());
    assertEquals(201, http.post(path(app)).bearer(app.managementToken()).send().status());
  }

  static long count(String sql, Object... args) {
    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
