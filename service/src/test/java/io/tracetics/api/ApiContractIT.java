package io.tracetics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.OpenApiContract;
import io.tracetics.testing.Reports;
import io.tracetics.testing.TestApp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real answers of the main endpoints, successes and errors, match the OpenAPI document's
 * schemas ({@link OpenApiContract}: documented status, media type, body; objects closed). Each call
 * names its operation by the document's path template.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiContractIT {
  // Alerts may target 127.0.0.1 under this configuration (nothing listens there for this test).
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension("test-config-alerts.yml", Map.of());

  static final String FUNNEL =
      """
      {"name": "signup", "window_seconds": 86400, "order": "ordered",
       "steps": [{"event_name": "visit"}, {"event_name": "signup"}, {"event_name": "purchase"}],
       "breakdown": "source"}
      """;

  Http http() {
    return new Http(APP.getLocalPort());
  }

  /** One call of a documented operation: sent, its status checked, its answer validated. */
  final class Call {
    private final String method;
    private final String template;
    private final Http.Request request;

    Call(String method, String template, String path) {
      this.method = method;
      this.template = template;
      this.request = http().request(method, path);
    }

    Call bearer(String token) {
      request.bearer(token);
      return this;
    }

    Call header(String name, String value) {
      request.header(name, value);
      return this;
    }

    Call body(String json) {
      request.body(json);
      return this;
    }

    Call json(Object value) {
      request.json(value);
      return this;
    }

    Http.Response expect(int status) {
      Http.Response response = request.send();
      assertEquals(status, response.status(), () -> method + " " + template + ": " + response);
      OpenApiContract.assertResponse(method, template, response);
      return response;
    }
  }

  /**
   * {@code method template}, called at the template with each {@code {...}} replaced by the next
   * value, then {@code query} (with its {@code ?}) if given.
   */
  Call call(String method, String template, Object... values) {
    String path = template;
    String query = "";
    int v = 0;
    for (; v < values.length && path.contains("{"); v++) {
      int start = path.indexOf('{');
      path = path.substring(0, start) + values[v] + path.substring(path.indexOf('}', start) + 1);
    }
    if (v < values.length) {
      query = values[v].toString();
    }
    return new Call(method, template, path + query);
  }

  /** A tenant on the business plan with one app: its management token, keys and app id. */
  record Tenant(long tenantId, String token, String tenantKey, long appId, String appKey) {}

  Tenant tenant() {
    JsonNode t =
        call("POST", "/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "contract " + System.nanoTime(), "plan", "business"))
            .expect(201)
            .json();
    String token = t.get("management_token").asText();
    JsonNode app =
        call("POST", "/api/v1/apps").bearer(token).json(Map.of("name", "web")).expect(201).json();
    return new Tenant(
        t.get("tenant_id").asLong(),
        token,
        t.get("tenant_key").asText(),
        app.get("app_id").asLong(),
        app.get("app_key").asText());
  }

  /** Sends a few journeys through ingest (events, a batch, an identify) and waits for the load. */
  void journeys(Tenant t) throws InterruptedException {
    Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
    call("POST", "/api/v1/events")
        .header("X-OL-Tenant-Key", t.tenantKey())
        .header("X-OL-App-Key", t.appKey())
        .json(
            Map.of(
                "event_name",
                "visit",
                "user_identifier",
                "anon-1",
                "timestamp",
                day.toString(),
                "metadata",
                Map.of("source", "ads")))
        .expect(200);
    call("POST", "/api/v1/identify")
        .header("X-OL-Tenant-Key", t.tenantKey())
        .header("X-OL-App-Key", t.appKey())
        .json(
            Map.of(
                "anonymous_id", "anon-1", "user_identifier", "u1", "traits", Map.of("plan", "pro")))
        .expect(200);
    List<Object> items =
        List.of(
            Map.of(
                "event_name",
                "signup",
                "user_identifier",
                "u1",
                "timestamp",
                day.plusSeconds(60).toString()),
            Map.of(
                "event_name",
                "purchase",
                "user_identifier",
                "u1",
                "timestamp",
                day.plusSeconds(120).toString()),
            Map.of(
                "event_name",
                "visit",
                "user_identifier",
                "u2",
                "timestamp",
                day.toString(),
                "metadata",
                Map.of("source", "seo")),
            Map.of(
                "event_name",
                "signup",
                "user_identifier",
                "u2",
                "timestamp",
                day.plusSeconds(30).toString()),
            Map.of("type", "identify", "anonymous_id", "anon-3", "user_identifier", "u3"),
            Map.of("event_name", "", "user_identifier", "u1"));
    JsonNode batch =
        call("POST", "/api/v1/events/batch")
            .header("X-OL-Tenant-Key", t.tenantKey())
            .header("X-OL-App-Key", t.appKey())
            .json(Map.of("events", items))
            .expect(200)
            .json();
    assertEquals(1, batch.get("rejected").size(), batch::toString);
    Reports.awaitLoaded(APP, t.appId(), 5);
  }

  @Test
  void tenancy() {
    Tenant t = tenant();
    call("GET", "/api/v1/tenants", "?limit=2").bearer(TestApp.OPERATOR_TOKEN).expect(200);
    call("PATCH", "/api/v1/tenants/{tenant_id}", t.tenantId())
        .bearer(TestApp.OPERATOR_TOKEN)
        .json(Map.of("plan", "pro"))
        .expect(200);
    call("GET", "/api/v1/tenant").bearer(t.token()).expect(200);
    call("GET", "/api/v1/tenant/access").bearer(t.token()).expect(200);
    call("GET", "/api/v1/tenant/pipeline").bearer(t.token()).expect(200);
    call("GET", "/api/v1/usage").bearer(t.token()).expect(200);
    call("GET", "/api/v1/pipeline").bearer(TestApp.OPERATOR_TOKEN).expect(200);
    call("POST", "/api/v1/tenant/keys/rotate")
        .bearer(t.token())
        .json(Map.of("kind", "tenant_key"))
        .expect(200);

    call("GET", "/api/v1/apps").bearer(t.token()).expect(200);
    call("GET", "/api/v1/apps/{app_id}", t.appId()).bearer(t.token()).expect(200);
    call("POST", "/api/v1/apps/{app_id}/keys/rotate", t.appId()).bearer(t.token()).expect(200);
    JsonNode created =
        call("POST", "/api/v1/apps/{app_id}/write-keys", t.appId())
            .bearer(t.token())
            .expect(201)
            .json();
    call("GET", "/api/v1/apps/{app_id}/write-keys", t.appId()).bearer(t.token()).expect(200);
    String writeKey = created.get("write_key").asText();
    String basic =
        Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    call("POST", "/v1/track")
        .header("Authorization", "Basic " + basic)
        .json(Map.of("userId", "u1", "event", "Signed Up", "properties", Map.of("plan", "pro")))
        .expect(200);
    call("POST", "/v1/identify")
        .header("Authorization", "Basic " + basic)
        .json(Map.of("userId", "u1", "anonymousId", "anon-9", "traits", Map.of("plan", "pro")))
        .expect(200);
    call("POST", "/v1/track")
        .header("Authorization", "Basic d2tfbm9uZTo=")
        .json(Map.of("userId", "u1", "event", "x"))
        .expect(401);
    call(
            "DELETE",
            "/api/v1/apps/{app_id}/write-keys/{key_id}",
            t.appId(),
            created.get("key_id").asLong())
        .bearer(t.token())
        .expect(204);
    long other =
        call("POST", "/api/v1/apps")
            .bearer(t.token())
            .json(Map.of("name", "other"))
            .expect(201)
            .json()
            .get("app_id")
            .asLong();
    call("DELETE", "/api/v1/apps/{app_id}", other).bearer(t.token()).expect(204);

    JsonNode key =
        call("POST", "/api/v1/tenant/api-keys")
            .bearer(t.token())
            .json(
                Map.of(
                    "name", "reader",
                    "scopes", List.of("reports:read"),
                    "app_ids", List.of(t.appId()),
                    "expires_at", Instant.now().plus(1, ChronoUnit.DAYS).toString()))
            .expect(201)
            .json();
    call("GET", "/api/v1/tenant/api-keys").bearer(t.token()).expect(200);
    call("GET", "/api/v1/tenant/access").bearer(key.get("key").asText()).expect(200);
    call("DELETE", "/api/v1/tenant/api-keys/{key_id}", key.get("key_id").asLong())
        .bearer(t.token())
        .expect(204);
  }

  @Test
  void funnelsReportsAndPeople() throws Exception {
    Tenant t = tenant();
    journeys(t);
    long app = t.appId();
    JsonNode saved =
        call("POST", "/api/v1/apps/{app_id}/funnels", app)
            .bearer(t.token())
            .body(FUNNEL)
            .expect(201)
            .json();
    long funnel = saved.get("funnel_id").asLong();
    call("GET", "/api/v1/apps/{app_id}/funnels", app).bearer(t.token()).expect(200);
    call("GET", "/api/v1/apps/{app_id}/funnels/{funnel_id}", app, funnel)
        .bearer(t.token())
        .expect(200);
    call("PUT", "/api/v1/apps/{app_id}/funnels/{funnel_id}", app, funnel)
        .bearer(t.token())
        .body(FUNNEL.replace("\"signup\", \"window", "\"renamed\", \"window"))
        .expect(200);
    call("GET", "/api/v1/apps/{app_id}/funnels/{funnel_id}/report", app, funnel)
        .bearer(t.token())
        .expect(200);
    String from = Instant.now().minus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toString();
    String to = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toString();
    call(
            "GET",
            "/api/v1/apps/{app_id}/funnels/{funnel_id}/report",
            app,
            funnel,
            "?interval=day&compare=previous&from=" + from + "&to=" + to)
        .bearer(t.token())
        .expect(200);
    call("POST", "/api/v1/apps/{app_id}/funnels/report", app)
        .bearer(t.token())
        .body(
            FUNNEL.replace(
                "\"breakdown\": \"source\"",
                "\"breakdown\": \"plan\", \"breakdown_source\": \"user\""))
        .expect(200);
    call("GET", "/api/v1/apps/{app_id}/funnels/{funnel_id}/actors", app, funnel, "?step=1&limit=1")
        .bearer(t.token())
        .expect(200);
    call("POST", "/api/v1/apps/{app_id}/funnels/report/actors", app)
        .bearer(t.token())
        .body("{\"definition\": " + FUNNEL + ", \"step\": 2, \"status\": \"dropped\"}")
        .expect(200);
    call(
            "GET",
            "/api/v1/apps/{app_id}/funnels/{funnel_id}/users/{user_identifier}/trace",
            app,
            funnel,
            "u2")
        .bearer(t.token())
        .expect(200);

    call("GET", "/api/v1/apps/{app_id}/persons/{identifier}", app, "anon-1", "?limit=1")
        .bearer(t.token())
        .expect(200);
    call("GET", "/api/v1/apps/{app_id}/persons", app, "?identifier=u2")
        .bearer(t.token())
        .expect(200);
    call("POST", "/api/v1/apps/{app_id}/sql", app)
        .bearer(t.token())
        .json(
            Map.of("query", "SELECT event_name, count(*) AS n FROM events GROUP BY ALL ORDER BY n"))
        .expect(200);

    JsonNode cohort =
        call("POST", "/api/v1/apps/{app_id}/cohorts", app)
            .bearer(t.token())
            .json(Map.of("name", "buyers", "user_identifiers", List.of("u1", "nobody")))
            .expect(201)
            .json();
    long cohortId = cohort.get("cohort_id").asLong();
    call("POST", "/api/v1/apps/{app_id}/cohorts", app)
        .bearer(t.token())
        .json(
            Map.of(
                "name",
                "dropped",
                "from_actors",
                Map.of("funnel_id", funnel, "step", 2, "status", "dropped")))
        .expect(201);
    call("GET", "/api/v1/apps/{app_id}/cohorts", app).bearer(t.token()).expect(200);
    call("GET", "/api/v1/apps/{app_id}/cohorts/{cohort_id}", app, cohortId)
        .bearer(t.token())
        .expect(200);
    call("GET", "/api/v1/apps/{app_id}/cohorts/{cohort_id}/members", app, cohortId, "?limit=1")
        .bearer(t.token())
        .expect(200);
    call("DELETE", "/api/v1/apps/{app_id}/cohorts/{cohort_id}", app, cohortId)
        .bearer(t.token())
        .expect(204);

    JsonNode share =
        call("POST", "/api/v1/apps/{app_id}/funnels/{funnel_id}/shares", app, funnel)
            .bearer(t.token())
            .json(Map.of("allowed_parameters", List.of("interval")))
            .expect(201)
            .json();
    call("GET", "/api/v1/apps/{app_id}/funnels/{funnel_id}/shares", app, funnel)
        .bearer(t.token())
        .expect(200);
    String token = share.get("token").asText();
    call("GET", "/api/v1/shared/{token}/report", token).expect(200);
    call("GET", "/api/v1/shared/{token}/report", token, "?interval=week").expect(200);
    call("GET", "/api/v1/shared/{token}/report", token, "?mode=strict").expect(400);
    call(
            "DELETE",
            "/api/v1/apps/{app_id}/funnels/{funnel_id}/shares/{share_id}",
            app,
            funnel,
            share.get("share_id").asLong())
        .bearer(t.token())
        .expect(204);
    call("GET", "/api/v1/shared/{token}/report", token).expect(404);

    JsonNode alert =
        call("POST", "/api/v1/apps/{app_id}/alerts", app)
            .bearer(t.token())
            .json(
                Map.of(
                    "name",
                    "signups fell",
                    "funnel_id",
                    funnel,
                    "step",
                    1,
                    "metric",
                    "conversion_from_first",
                    "condition",
                    Map.of("below", 0.05),
                    "min_entered",
                    100,
                    "webhook_url",
                    "http://127.0.0.1:9/hook"))
            .expect(201)
            .json();
    long alertId = alert.get("alert_id").asLong();
    call("GET", "/api/v1/apps/{app_id}/alerts", app).bearer(t.token()).expect(200);
    call("GET", "/api/v1/apps/{app_id}/alerts/{alert_id}", app, alertId)
        .bearer(t.token())
        .expect(200);
    call("DELETE", "/api/v1/apps/{app_id}/alerts/{alert_id}", app, alertId)
        .bearer(t.token())
        .expect(204);

    call("DELETE", "/api/v1/apps/{app_id}/funnels/{funnel_id}", app, funnel)
        .bearer(t.token())
        .expect(204);
  }

  @Test
  void pagesAndTheDocument() {
    call("GET", "/api/v1/openapi.yaml").expect(200);
    call("GET", "/api/docs").expect(200);
    call("GET", "/").expect(200);
    call("GET", "/s/{token}", "sh_unknown").expect(404);
  }

  @Test
  void errorAnswers() {
    Tenant t = tenant();
    long app = t.appId();
    // 400: not JSON; an event without its fields; a bad query parameter.
    call("POST", "/api/v1/apps/{app_id}/funnels", app)
        .bearer(t.token())
        .body("{not json")
        .expect(400);
    call("POST", "/api/v1/events")
        .header("X-OL-Tenant-Key", t.tenantKey())
        .header("X-OL-App-Key", t.appKey())
        .json(Map.of("event_name", "visit"))
        .expect(400);
    call("GET", "/api/v1/apps/{app_id}/persons", app).bearer(t.token()).expect(400);
    call("POST", "/api/v1/apps/{app_id}/sql", app)
        .bearer(t.token())
        .json(Map.of("query", "DROP TABLE events"))
        .expect(400);
    // 401: no credential, a wrong one, wrong ingest keys.
    call("GET", "/api/v1/apps").expect(401);
    call("GET", "/api/v1/apps/{app_id}/funnels", app).bearer("mt_wrong").expect(401);
    call("POST", "/api/v1/events")
        .header("X-OL-Tenant-Key", t.tenantKey())
        .header("X-OL-App-Key", "ak_wrong")
        .json(Map.of("event_name", "visit", "user_identifier", "u1"))
        .expect(401);
    // 403: a key without the scope.
    String reader =
        call("POST", "/api/v1/tenant/api-keys")
            .bearer(t.token())
            .json(Map.of("name", "reader", "scopes", List.of("reports:read")))
            .expect(201)
            .json()
            .get("key")
            .asText();
    call("POST", "/api/v1/apps/{app_id}/sql", app)
        .bearer(reader)
        .json(Map.of("query", "SELECT 1"))
        .expect(403);
    call("POST", "/api/v1/apps/{app_id}/funnels", app).bearer(reader).body(FUNNEL).expect(403);
    // 404: unknown objects.
    call("GET", "/api/v1/apps/{app_id}", 999_999_999L).bearer(t.token()).expect(404);
    call("GET", "/api/v1/apps/{app_id}/funnels/{funnel_id}", app, 999_999_999L)
        .bearer(t.token())
        .expect(404);
    call("GET", "/api/v1/apps/{app_id}/persons/{identifier}", app, "nobody")
        .bearer(t.token())
        .expect(404);
    call("GET", "/api/v1/shared/{token}/report", "sh_unknown").expect(404);
    // 422: a funnel that breaks its rules; an unknown plan.
    call("POST", "/api/v1/apps/{app_id}/funnels", app)
        .bearer(t.token())
        .body("{\"name\": \"one\", \"window_seconds\": 0, \"steps\": [{\"event_name\": \"a\"}]}")
        .expect(422);
    call("POST", "/api/v1/apps/{app_id}/funnels/report", app)
        .bearer(t.token())
        .body(FUNNEL.replace("\"order\": \"ordered\"", "\"order\": \"sideways\""))
        .expect(422);
    call("PATCH", "/api/v1/tenants/{tenant_id}", t.tenantId())
        .bearer(TestApp.OPERATOR_TOKEN)
        .json(Map.of("plan", "platinum"))
        .expect(422);
  }
}
