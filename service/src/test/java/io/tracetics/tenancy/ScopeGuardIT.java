package io.tracetics.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route a tenant's credential may call, taken from the OpenAPI document (so nothing new can
 * appear unguarded: the document must list exactly the real routes' scopes), called with keys
 * lacking its scope, keys of another tenant, expired and revoked keys and keys of other apps: all
 * refused, and the refusals carry nothing but the error.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ScopeGuardIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();
  private static final Set<String> ERROR_FIELDS =
      Set.of("code", "error", "message", "required_scope", "errors", "violations");
  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

  private static Http http;
  private static Tenants.TenantApp tenant;
  private static Map<String, String> documented;

  /** A documented operation that takes a tenant credential. */
  record Route(String method, String path, String scope) {
    boolean aboutAnApp() {
      return path.contains("{app_id}");
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    http = new Http(APP.getLocalPort());
    tenant = Tenants.create(http, "business");
    documented = documentedScopes();
  }

  @Test
  void theDocumentNamesTheScopeEveryRealRouteEnforces() {
    Map<String, String> real = new TreeMap<>();
    var config = APP.getEnvironment().jersey().getResourceConfig();
    for (Object singleton : config.getSingletons()) {
      addRealScopes(singleton.getClass(), real);
    }
    for (Class<?> type : config.getClasses()) {
      addRealScopes(type, real);
    }
    assertEquals(real, new TreeMap<>(documented));
    assertTrue(real.size() >= 30, () -> "too few tenant routes: " + real.keySet());
  }

  @Test
  void aKeyWithoutTheScopeIsRefusedEverywhereAndOneWithItIsNot() {
    Map<Scope, String> lacking = new TreeMap<>();
    Map<Scope, String> holding = new TreeMap<>();
    for (Scope scope : Scope.values()) {
      EnumSet<Scope> others = EnumSet.complementOf(EnumSet.of(scope, Scope.ADMIN));
      lacking.put(scope, createKey(tenant.managementToken(), others, null));
      holding.put(scope, createKey(tenant.managementToken(), EnumSet.of(scope), null));
    }
    List<Route> checked = new ArrayList<>();
    for (Route route : routes()) {
      if (route.scope().equals("any")) {
        continue;
      }
      Scope scope = Scope.fromApiName(route.scope()).orElseThrow();
      Http.Response refused = call(route, lacking.get(scope), tenant.appId());
      assertEquals(403, refused.status(), () -> route + ": " + refused);
      assertEquals("insufficient_scope", refused.json().get("error").asText(), route::toString);
      assertEquals(route.scope(), refused.json().get("required_scope").asText(), route::toString);
      assertOnlyTheError(route, refused);

      long app =
          route.method().equals("DELETE") && route.path().equals("/api/v1/apps/{app_id}")
              ? newApp(tenant.managementToken())
              : tenant.appId();
      Http.Response allowed = call(route, holding.get(scope), app);
      assertFalse(
          Set.of(401, 403).contains(allowed.status()), () -> route + " with its scope: " + allowed);
      checked.add(route);
    }
    assertTrue(checked.size() >= 25, checked::toString);
  }

  @Test
  void anotherTenantsKeyFindsNoneOfThisTenantsApps() {
    Tenants.TenantApp other = Tenants.create(http, "business");
    String otherAdmin = createKey(other.managementToken(), EnumSet.allOf(Scope.class), null);
    for (Route route : routes()) {
      if (!route.aboutAnApp()) {
        continue;
      }
      Http.Response refused = call(route, otherAdmin, tenant.appId());
      if (route.method().equals("GET") || route.method().equals("DELETE")) {
        assertEquals(404, refused.status(), () -> route + ": " + refused);
      } else {
        assertTrue(refused.status() >= 400 && refused.status() < 500, () -> route + ": " + refused);
      }
      assertOnlyTheError(route, refused);
    }
  }

  @Test
  void expiredAndRevokedKeysAreRefusedEverywhere() throws Exception {
    // Long enough to be used once on a loaded machine; the test then waits out the rest.
    java.time.Instant expiresAt = java.time.Instant.now().plusSeconds(8);
    String expiring =
        createKey(tenant.managementToken(), EnumSet.allOf(Scope.class), expiresAt.toString());
    String revoked = createKey(tenant.managementToken(), EnumSet.allOf(Scope.class), null);
    assertEquals(200, http.get("/api/v1/tenant").bearer(expiring).send().status());
    assertEquals(200, http.get("/api/v1/tenant").bearer(revoked).send().status());
    long revokedId = keyId(revoked);
    long expiringId = keyId(expiring);
    assertEquals(
        204,
        http.delete("/api/v1/tenant/api-keys/" + revokedId)
            .bearer(tenant.managementToken())
            .send()
            .status());
    Thread.sleep(
        Math.max(0, java.time.Duration.between(java.time.Instant.now(), expiresAt).toMillis())
            + 200);
    for (Route route : routes()) {
      for (String key : List.of(expiring, revoked)) {
        Http.Response refused = call(route, key, tenant.appId());
        assertEquals(401, refused.status(), () -> route + ": " + refused);
        assertOnlyTheError(route, refused);
      }
    }
    // The expired key is still listed (marked expired) until it is revoked; the revoked one not.
    JsonNode listed =
        http.get("/api/v1/tenant/api-keys").bearer(tenant.managementToken()).send().json();
    boolean sawExpired = false;
    for (JsonNode key : listed.get("api_keys")) {
      assertFalse(key.get("key_id").asLong() == revokedId);
      if (key.get("key_id").asLong() == expiringId) {
        sawExpired = key.get("expired").asBoolean();
      }
    }
    assertTrue(sawExpired, listed::toString);
  }

  @Test
  void aKeyOfSomeAppsSeesOnlyThoseAndNoTenantWideAdministration() {
    long otherApp = newApp(tenant.managementToken());
    String key =
        createKey(tenant.managementToken(), EnumSet.allOf(Scope.class), null, tenant.appId());
    for (Route route : routes()) {
      if (route.aboutAnApp()) {
        Http.Response hidden = call(route, key, otherApp);
        assertEquals(404, hidden.status(), () -> route + ": " + hidden);
        assertEquals("app_not_found", hidden.json().get("error").asText(), route::toString);
        assertOnlyTheError(route, hidden);
      } else if (route.scope().equals("admin")) {
        Http.Response refused = call(route, key, otherApp);
        assertEquals(403, refused.status(), () -> route + ": " + refused);
        assertEquals("insufficient_scope", refused.json().get("error").asText());
      }
    }
    JsonNode apps = http.get("/api/v1/apps").bearer(key).send().successJson();
    assertEquals(1, apps.get("apps").size(), apps::toString);
    assertEquals(tenant.appId(), apps.get("apps").get(0).get("app_id").asLong());
    JsonNode access = http.get("/api/v1/tenant/access").bearer(key).send().successJson();
    assertEquals("api_key", access.get("credential").asText());
    assertEquals(tenant.appId(), access.get("app_ids").get(0).asLong());
    JsonNode pipeline = http.get("/api/v1/tenant/pipeline").bearer(key).send().successJson();
    for (JsonNode app : pipeline.get("apps")) {
      assertEquals(tenant.appId(), app.get("app_id").asLong(), pipeline::toString);
    }
  }

  private static Http.Response call(Route route, String key, long app) {
    Matcher m = PARAM.matcher(route.path());
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(path, m.group(1).equals("app_id") ? Long.toString(app) : "999999999");
    }
    m.appendTail(path);
    Http.Request request = http.request(route.method(), path.toString()).bearer(key);
    if (Set.of("POST", "PUT", "PATCH").contains(route.method())) {
      request.body("{}");
    }
    return request.send();
  }

  private static void assertOnlyTheError(Route route, Http.Response response) {
    JsonNode body = response.json();
    body.fieldNames()
        .forEachRemaining(
            field ->
                assertTrue(
                    ERROR_FIELDS.contains(field),
                    () -> route + " answered " + field + ": " + body));
  }

  static String createKey(String token, Set<Scope> scopes, String expiresAt, long... apps) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("name", "test key");
    body.put("scopes", scopes.stream().map(Scope::apiName).toList());
    if (apps.length > 0) {
      body.put("app_ids", java.util.Arrays.stream(apps).boxed().toList());
    }
    if (expiresAt != null) {
      body.put("expires_at", expiresAt);
    }
    Http.Response created = http.post("/api/v1/tenant/api-keys").bearer(token).json(body).send();
    assertEquals(201, created.status(), created::toString);
    return created.json().get("key").asText();
  }

  private static long keyId(String key) {
    return http.get("/api/v1/tenant/access").bearer(key).send().json().get("key_id").asLong();
  }

  private static long newApp(String token) {
    Http.Response app =
        http.post("/api/v1/apps").bearer(token).json(Map.of("name", "other")).send();
    assertEquals(201, app.status(), app::toString);
    return app.json().get("app_id").asLong();
  }

  private static List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    documented.forEach(
        (route, scope) -> {
          int space = route.indexOf(' ');
          routes.add(new Route(route.substring(0, space), route.substring(space + 1), scope));
        });
    return routes;
  }

  /** Each documented operation a tenant credential may call -> its x-required-scope. */
  private static Map<String, String> documentedScopes() throws Exception {
    Http.Response response = http.get("/api/v1/openapi.yaml").send();
    JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(response.text());
    Map<String, String> scopes = new TreeMap<>();
    document
        .get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        op -> {
                          JsonNode security = op.getValue().get("security");
                          if (security == null
                              || !security.toString().contains("managementToken")) {
                            return;
                          }
                          assertTrue(
                              security.toString().contains("apiKey"),
                              path.getKey() + " does not take API keys");
                          JsonNode scope = op.getValue().get("x-required-scope");
                          scopes.put(
                              op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                              scope == null ? "<none>" : scope.asText());
                        }));
    return scopes;
  }

  private static void addRealScopes(Class<?> type, Map<String, String> scopes) {
    if (!type.isAnnotationPresent(Path.class)) {
      return;
    }
    Resource resource = Resource.from(type);
    String base = normalize(resource.getPath());
    for (ResourceMethod method : resource.getResourceMethods()) {
      add(scopes, method, base);
    }
    for (Resource child : resource.getChildResources()) {
      String path = normalize(base + "/" + child.getPath());
      for (ResourceMethod method : child.getResourceMethods()) {
        add(scopes, method, path);
      }
    }
  }

  private static void add(Map<String, String> scopes, ResourceMethod method, String path) {
    Method java = method.getInvocable().getDefinitionMethod();
    if (ScopeFeature.takesTenant(java)) {
      scopes.put(
          method.getHttpMethod() + " " + path,
          ScopeFeature.requiredScope(java).map(Scope::apiName).orElse("any"));
    }
  }

  private static String normalize(String path) {
    String p = ("/" + path).replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
