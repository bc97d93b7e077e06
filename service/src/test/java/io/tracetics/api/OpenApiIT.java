package io.tracetics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document served by the app lists exactly the application's real routes, and the admin
 * port's endpoints under their own server (port 8081).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  @Test
  void documentMatchesTheRealRoutes() throws Exception {
    Http.Response response = new Http(APP.getLocalPort()).get("/api/v1/openapi.yaml").send();
    assertEquals(200, response.status());
    JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(response.text());
    assertTrue(document.get("openapi").asText().startsWith("3."));

    Set<String> documented = new TreeSet<>();
    Set<String> documentedAdmin = new TreeSet<>();
    document
        .get("paths")
        .fields()
        .forEachRemaining(
            path -> {
              // Paths with their own server on port 8081 are the admin port's, not the API's.
              JsonNode servers = path.getValue().get("servers");
              boolean admin =
                  servers != null && servers.get(0).get("url").asText().endsWith(":8081");
              path.getValue()
                  .fieldNames()
                  .forEachRemaining(
                      method -> {
                        if (Set.of("get", "post", "put", "delete", "patch").contains(method)) {
                          String route = method.toUpperCase(Locale.ROOT) + " " + path.getKey();
                          (admin ? documentedAdmin : documented).add(route);
                        }
                      });
            });

    Set<String> real = new TreeSet<>();
    var config = APP.getEnvironment().jersey().getResourceConfig();
    for (Object singleton : config.getSingletons()) {
      addRoutes(singleton.getClass(), real);
    }
    for (Class<?> type : config.getClasses()) {
      addRoutes(type, real);
    }
    assertEquals(real, documented);

    // The admin port's documented paths answer there (200, or 503/500 when not ready or unhealthy),
    // and not on the API's port.
    assertEquals(Set.of("GET /ready", "GET /healthcheck", "GET /prometheus"), documentedAdmin);
    Http admin = new Http(APP.getAdminPort());
    Http api = new Http(APP.getLocalPort());
    for (String route : documentedAdmin) {
      String path = route.substring("GET ".length());
      Http.Response there = admin.get(path).send();
      assertTrue(Set.of(200, 500, 503).contains(there.status()), route + ": " + there);
      assertEquals(404, api.get(path).send().status(), route + " is not on the API port");
    }
  }

  /**
   * A comma in an unquoted scalar of a YAML flow mapping ({@code {description: a, b}}) ends the
   * value and starts a key without a value: such a document still parses, with a null where text
   * was meant. None may be left.
   */
  @Test
  void noTextIsCutIntoKeysWithoutValues() throws Exception {
    Http.Response response = new Http(APP.getLocalPort()).get("/api/v1/openapi.yaml").send();
    JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(response.text());
    List<String> nulls = new ArrayList<>();
    collectNulls(document, "", nulls);
    assertEquals(List.of(), nulls);
  }

  private static void collectNulls(JsonNode node, String at, List<String> nulls) {
    if (node.isNull()) {
      nulls.add(at);
    }
    node.fields().forEachRemaining(f -> collectNulls(f.getValue(), at + "/" + f.getKey(), nulls));
    for (int i = 0; node.isArray() && i < node.size(); i++) {
      collectNulls(node.get(i), at + "/" + i, nulls);
    }
  }

  private static void addRoutes(Class<?> type, Set<String> routes) {
    if (!type.isAnnotationPresent(Path.class)) {
      return;
    }
    Resource resource = Resource.from(type);
    String base = normalize(resource.getPath());
    for (ResourceMethod method : resource.getResourceMethods()) {
      add(routes, method.getHttpMethod(), base);
    }
    for (Resource child : resource.getChildResources()) {
      String path = normalize(base + "/" + child.getPath());
      for (ResourceMethod method : child.getResourceMethods()) {
        add(routes, method.getHttpMethod(), path);
      }
    }
  }

  private static void add(Set<String> routes, String method, String path) {
    if (!"OPTIONS".equals(method) && !"HEAD".equals(method)) {
      routes.add(method + " " + path);
    }
  }

  private static String normalize(String path) {
    String p = ("/" + path).replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
