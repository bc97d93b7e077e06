package io.tracetics.paging;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.Reports;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cursor pages of the management lists through the real API: walking a list page by page gives
 * every item once in id order; without parameters a list is one page with a null next_cursor (as
 * before); a bad cursor or limit is 400 invalid_parameter on every list.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PaginationIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();
  static final String FUNNEL =
      """
      {"name": "f", "window_seconds": 3600, "steps": [{"event_name": "a"}, {"event_name": "b"}]}
      """;

  private Http http;
  private Tenants.TenantApp tenant;

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
    tenant = Tenants.create(http);
  }

  private JsonNode get(String path) {
    Http.Response answer = http.get(path).bearer(tenant.managementToken()).send();
    assertEquals(200, answer.status(), answer::toString);
    return answer.json();
  }

  /** Every item of a list walked {@code limit} at a time: their ids, in order. */
  private List<Long> walk(String path, String field, String idField, int limit) {
    List<Long> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = get(path + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
      assertTrue(page.get(field).size() <= limit);
      page.get(field).forEach(item -> ids.add(item.get(idField).asLong()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      assertTrue(++pages < 20, "the walk ends");
    } while (cursor != null);
    return ids;
  }

  @Test
  void walkingAListGivesEveryItemOnceInIdOrder() {
    for (int i = 0; i < 5; i++) {
      Http.Response created =
          http.post("/api/v1/tenant/api-keys")
              .bearer(tenant.managementToken())
              .json(Map.of("name", "k" + i, "scopes", List.of("reports:read")))
              .send();
      assertEquals(201, created.status(), created::toString);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(
          201,
          http.post("/api/v1/apps/" + tenant.appId() + "/write-keys")
              .bearer(tenant.managementToken())
              .send()
              .status());
    }
    List<Long> all = walk("/api/v1/tenant/api-keys", "api_keys", "key_id", 1000);
    assertEquals(5, all.size());
    assertEquals(all, walk("/api/v1/tenant/api-keys", "api_keys", "key_id", 2));
    List<Long> sorted = new ArrayList<>(all);
    sorted.sort(Long::compare);
    assertEquals(sorted, all);

    String writeKeys = "/api/v1/apps/" + tenant.appId() + "/write-keys";
    List<Long> keys = walk(writeKeys, "write_keys", "key_id", 1000);
    assertTrue(keys.size() >= 3, keys::toString);
    assertEquals(keys, walk(writeKeys, "write_keys", "key_id", 1));

    String funnels = "/api/v1/apps/" + tenant.appId() + "/funnels";
    List<Long> saved = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      saved.add(Reports.saveFunnel(http, tenant, FUNNEL.replace("\"f\"", "\"f" + i + "\"")));
    }
    assertEquals(saved, walk(funnels, "funnels", "funnel_id", 2));
    assertEquals(List.of(tenant.appId()), walk("/api/v1/apps", "apps", "app_id", 1));
  }

  @Test
  void withoutParametersAListIsOnePageWithANullCursor() {
    JsonNode apps = get("/api/v1/apps");
    assertEquals(1, apps.get("apps").size());
    assertTrue(apps.get("next_cursor").isNull());
  }

  @Test
  void aBadCursorOrLimitIs400OnEveryList() {
    long funnel = Reports.saveFunnel(http, tenant, FUNNEL);
    String app = "/api/v1/apps/" + tenant.appId();
    for (String list :
        List.of(
            "/api/v1/apps",
            app + "/funnels",
            app + "/cohorts",
            "/api/v1/tenant/api-keys",
            app + "/alerts",
            app + "/funnels/" + funnel + "/shares",
            app + "/write-keys")) {
      for (String query : List.of("?cursor=abc", "?cursor=-1", "?limit=0", "?limit=1001")) {
        Http.Response answer = http.get(list + query).bearer(tenant.managementToken()).send();
        JsonNode body = assertError(answer, 400, "invalid_parameter");
        assertTrue(
            body.get("message").asText().contains(query.contains("cursor") ? "cursor" : "limit"));
      }
      assertTrue(get(list + "?limit=5").has("next_cursor"), list);
    }
  }
}
