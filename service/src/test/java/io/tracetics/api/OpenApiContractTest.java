package io.tracetics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.testing.OpenApiContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link OpenApiContract} accepts and refuses, on the real document. */
class OpenApiContractTest {
  static final OpenApiContract CONTRACT = OpenApiContract.document();
  static final String JSON = "application/json";

  static final String TENANT =
      """
      {"tenant_id": 7, "name": "Acme", "created_at": "2026-01-05T10:00:00Z",
       "plan": {"code": "free", "name": "Free", "max_apps": 2, "max_funnels": null,
                "max_cohorts": 5, "max_monthly_events": 100000}}
      """;

  static List<String> tenant(String body) {
    return CONTRACT.problems("GET", "/api/v1/tenant", 200, JSON, body);
  }

  @Test
  void aDocumentedAnswerPasses() {
    assertEquals(List.of(), tenant(TENANT));
    assertEquals(
        List.of(),
        CONTRACT.problems(
            "GET",
            "/api/v1/tenant",
            401,
            JSON + "; charset=utf-8",
            "{\"code\": 401, \"error\": \"unauthorized\", \"message\": \"no\"}"));
  }

  @Test
  void anUndocumentedFieldFailsAtAnyDepth() {
    assertFalse(
        tenant(TENANT.replace("\"name\": \"Acme\"", "\"name\": \"Acme\", \"x\": 1")).isEmpty());
    assertFalse(
        tenant(TENANT.replace("\"code\": \"free\"", "\"code\": \"free\", \"x\": 1")).isEmpty());
  }

  @Test
  void typesFormatsAndNullsAreChecked() {
    assertFalse(tenant(TENANT.replace("\"tenant_id\": 7", "\"tenant_id\": \"7\"")).isEmpty());
    assertFalse(tenant(TENANT.replace("2026-01-05T10:00:00Z", "yesterday")).isEmpty());
    // nullable: true admits null, and only there.
    assertEquals(List.of(), tenant(TENANT.replace("\"max_apps\": 2", "\"max_apps\": null")));
    assertFalse(tenant(TENANT.replace("\"name\": \"Acme\"", "\"name\": null")).isEmpty());
  }

  @Test
  void anAllOfExtensionSeesEveryPartsFields() {
    String saved =
        """
        {"funnel_id": 3, "app_id": 1, "version": 1, "name": "f",
         "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z",
         "window_seconds": 60, "order": "ordered",
         "steps": [{"event_name": "a"}, {"event_name": "b"}]}
        """;
    String path = "/api/v1/apps/{app_id}/funnels/{funnel_id}";
    assertEquals(List.of(), CONTRACT.problems("GET", path, 200, JSON, saved));
    assertFalse(
        CONTRACT
            .problems(
                "GET", path, 200, JSON, saved.replace("\"version\": 1", "\"version\": 1, \"x\": 1"))
            .isEmpty());
  }

  @Test
  void freeFormMapsStayOpen() {
    String person =
        """
        {"person_id": "u1", "identifiers": ["u1"], "traits": {"anything": [1, {"a": 2}]},
         "first_seen": null, "last_seen": null, "event_count": 0, "events": [],
         "next_cursor": null,
         "watermark": {"events": 0, "max_event_id": 0, "load_position": 0, "identity_version": 0}}
        """;
    assertEquals(
        List.of(),
        CONTRACT.problems("GET", "/api/v1/apps/{app_id}/persons/{identifier}", 200, JSON, person));
  }

  @Test
  void statusMediaTypeAndOperationMustBeDocumented() {
    assertTrue(tenant(TENANT).isEmpty());
    assertFalse(CONTRACT.problems("GET", "/api/v1/tenant", 418, JSON, TENANT).isEmpty());
    assertFalse(CONTRACT.problems("GET", "/api/v1/tenant", 200, "text/csv", "a,b").isEmpty());
    assertFalse(CONTRACT.problems("GET", "/api/v1/nothing", 200, JSON, TENANT).isEmpty());
    assertFalse(
        CONTRACT.problems("DELETE", "/api/v1/apps/{app_id}", 204, JSON, "{}").isEmpty(),
        "a 204 has no body");
  }
}
