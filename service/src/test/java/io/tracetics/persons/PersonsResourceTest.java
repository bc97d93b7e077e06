package io.tracetics.persons;

import static io.tracetics.testing.ApiAssertions.assertError;
import static io.tracetics.testing.ApiResources.TENANT;
import static io.tracetics.testing.ApiResources.TENANT_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.tracetics.app.StrictJson;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import io.tracetics.engine.store.StoreConfig;
import io.tracetics.ids.TenantId;
import io.tracetics.testing.ApiResources;
import io.tracetics.testing.InMemoryApps;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link PersonsResource}'s answer and refusals: the real {@link PersonService} over an in-memory
 * DuckDB store holding an identified person, apps kept in memory ({@link InMemoryApps}).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PersonsResourceTest {
  private static final long T = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final String ANON = "anon 1/ü?#%";
  private static final AnalyticsStore STORE =
      AnalyticsStore.open(StoreConfig.inMemory().withNativeFunnel(false));
  private static final InMemoryApps APPS = new InMemoryApps();
  private static final long OWN_APP = APPS.add(TENANT, "shop").id().value();
  private static final long OTHER_APP = APPS.add(TenantId.of(99), "elsewhere").id().value();
  private static final ObjectMapper JSON = Jackson.newObjectMapper();

  static {
    StrictJson.configure(JSON);
    STORE.load(
        "test",
        1,
        List.of(
            new EventRow(1, OWN_APP, ANON, "viewed_pricing", T, T, "{\"path\":\"/pricing\"}"),
            new EventRow(2, OWN_APP, "u_42", "signed_up", T + 60_000, T + 60_000, null),
            new EventRow(3, OWN_APP, "u_42", "upgraded", T + 120_000, T + 120_000, null),
            new EventRow(4, OTHER_APP, "u_42", "secret", T, T, null)),
        List.of(new IdentityLink(OWN_APP, ANON, "u_42", "{\"plan\":\"pro\"}")),
        r -> {});
  }

  private static final ResourceExtension RESOURCES =
      ApiResources.builder(new PersonsResource(new PersonService(APPS, STORE, JSON))).build();

  @AfterAll
  static void closeStore() {
    STORE.close();
  }

  private static Response get(long app, String identifier, String query, String token) {
    String path =
        "/api/v1/apps/"
            + app
            + "/persons/"
            + URLEncoder.encode(identifier, StandardCharsets.UTF_8).replace("+", "%20");
    return ApiResources.request(RESOURCES, path + query, token).get();
  }

  private static JsonNode ok(Response response) throws Exception {
    String text = response.readEntity(String.class);
    assertEquals(200, response.getStatus(), text);
    return JSON.readTree(text);
  }

  @Test
  void anAliasAnswersWithItsPersonInTheDocumentedShape() throws Exception {
    JsonNode person = ok(get(OWN_APP, ANON, "", TENANT_TOKEN));
    List<String> fields = new ArrayList<>();
    person.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of(
            "person_id",
            "identifiers",
            "traits",
            "first_seen",
            "last_seen",
            "event_count",
            "events",
            "next_cursor",
            "watermark"),
        fields);
    assertEquals("u_42", person.get("person_id").asText());
    assertEquals(List.of("u_42", ANON), texts(person.get("identifiers")));
    assertEquals(JSON.readTree("{\"plan\": \"pro\"}"), person.get("traits"));
    assertEquals("2026-01-01T00:00:00Z", person.get("first_seen").asText());
    assertEquals("2026-01-01T00:02:00Z", person.get("last_seen").asText());
    assertEquals(3, person.get("event_count").asLong());
    assertTrue(person.get("next_cursor").isNull());
    JsonNode events = person.get("events");
    assertEquals(3, events.size());
    assertEquals(
        JSON.readTree(
            "{\"event_id\": 3, \"user_identifier\": \"u_42\", \"event_name\": \"upgraded\","
                + " \"event_time\": \"2026-01-01T00:02:00Z\", \"metadata\": null}"),
        events.get(0));
    assertEquals(
        JSON.readTree(
            "{\"event_id\": 1, \"user_identifier\": "
                + JSON.writeValueAsString(ANON)
                + ", \"event_name\": \"viewed_pricing\", \"event_time\": \"2026-01-01T00:00:00Z\","
                + " \"metadata\": {\"path\": \"/pricing\"}}"),
        events.get(2));
    assertEquals(
        JSON.readTree(
            "{\"events\": 3, \"max_event_id\": 3, \"load_position\": 0, \"identity_version\": 1}"),
        person.get("watermark"));
  }

  @Test
  void pagesFollowTheCursor() throws Exception {
    JsonNode first = ok(get(OWN_APP, "u_42", "?limit=2", TENANT_TOKEN));
    assertEquals(List.of(3L, 2L), ids(first));
    String cursor = first.get("next_cursor").asText();
    JsonNode second = ok(get(OWN_APP, "u_42", "?limit=2&cursor=" + cursor, TENANT_TOKEN));
    assertEquals(List.of(1L), ids(second));
    assertTrue(second.get("next_cursor").isNull());
    assertEquals(3, second.get("event_count").asLong());
  }

  @Test
  void refusalsAreInTheOneErrorShape() {
    JsonNode missing =
        assertError(get(OWN_APP, "nobody", "", TENANT_TOKEN), 404, "person_not_found");
    assertTrue(missing.get("message").asText().contains("nobody"), missing.toString());
    // Another tenant's app is not found, even where the identifier exists.
    assertError(get(OTHER_APP, "u_42", "", TENANT_TOKEN), 404, "app_not_found");
    assertError(get(OWN_APP, "u_42", "", null), 401, "unauthorized");
    assertError(get(OWN_APP, "u_42", "", "wrong-token"), 401, "unauthorized");
    assertError(get(OWN_APP, "u_42", "?limit=0", TENANT_TOKEN), 400, "invalid_parameter");
    assertError(get(OWN_APP, "u_42", "?limit=many", TENANT_TOKEN), 400, "invalid_parameter");
    assertError(get(OWN_APP, "u_42", "?cursor=abc", TENANT_TOKEN), 400, "invalid_parameter");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Long> ids(JsonNode person) {
    List<Long> out = new ArrayList<>();
    person.get("events").forEach(e -> out.add(e.get("event_id").asLong()));
    return out;
  }
}
