package io.tracetics.tenancy;

import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Commands;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestJdbi;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans without Stripe: new tenants on the built-in unlimited plan, the operator listing tenants
 * and moving them between plans (API and CLI), and every limit following the plan at once.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PlansIT {
  /** Billing is off (no webhook secret) and the default plan is left to the rule. */
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension(ConfigOverride.config("tenancy.defaultPlan", ""));

  static final ObjectMapper JSON = new ObjectMapper();

  Http http;
  Jdbi jdbi;
  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
    jdbi = TestJdbi.create();
  }

  @Test
  void withoutBillingNewTenantsAreUnlimitedBeyondEveryFreeLimit() {
    Tenants.TenantApp tenant = Tenants.create(http);
    JsonNode self = http.get("/api/v1/tenant").bearer(tenant.managementToken()).send().json();
    assertEquals("unlimited", self.at("/plan/code").asText(), self::toString);
    assertTrue(self.at("/plan/max_apps").isNull(), self::toString);
    assertTrue(self.at("/plan/max_monthly_events").isNull(), self::toString);
    JsonNode usage = http.get("/api/v1/usage").bearer(tenant.managementToken()).send().json();
    assertEquals("unlimited", usage.get("plan").asText());
    assertTrue(usage.at("/apps/limit").isNull(), usage::toString);
    assertTrue(usage.at("/funnels/limit").isNull(), usage::toString);
    assertTrue(usage.at("/monthly_events/limit").isNull(), usage::toString);

    for (int i = 0; i < 3; i++) { // free allows 2
      assertEquals(201, createApp(tenant.managementToken()).status());
    }
    for (int i = 0; i < 6; i++) { // free allows 5
      assertEquals(201, createFunnel(tenant).status());
    }
    setAcceptedThisMonth(tenant.tenantId(), 100_000); // free's whole quota
    Http.Response batch = sendBatch(tenant, 3);
    assertEquals(200, batch.status(), batch::toString);
    assertEquals(3, batch.json().get("accepted").asInt());
    assertEquals(100_003, acceptedThisMonth(tenant.tenantId()));
  }

  @Test
  void theOperatorMovesATenantBetweenPlansAndEveryLimitFollows() {
    Tenants.TenantApp tenant = Tenants.create(http);
    createApp(tenant.managementToken());
    createApp(tenant.managementToken()); // three apps in all

    JsonNode free = patchPlan(tenant.tenantId(), "free");
    assertEquals(tenant.tenantId(), free.get("tenant_id").asLong());
    assertEquals("free", free.at("/plan/code").asText());
    assertEquals(2, free.at("/plan/max_apps").asInt());
    // Smaller plan: nothing is deleted, only new things beyond its limits are refused.
    assertEquals(3, apps(tenant.managementToken()));
    JsonNode refused = assertError(createApp(tenant.managementToken()), 403, "app_limit_reached");
    assertEquals("free", refused.get("plan").asText());
    setAcceptedThisMonth(tenant.tenantId(), 99_998);
    Http.Response partly = sendBatch(tenant, 3);
    assertEquals(200, partly.status(), partly::toString);
    assertEquals(2, partly.json().get("accepted").asInt());
    assertEquals(1, partly.json().get("rejected").size());
    JsonNode over = assertError(sendBatch(tenant, 1), 429, "monthly_quota_exceeded");
    assertEquals("free", over.get("plan").asText());
    assertEquals(100_000, over.get("limit").asLong());

    JsonNode business = patchPlan(tenant.tenantId(), "business");
    assertEquals(100, business.at("/plan/max_apps").asInt());
    assertEquals(201, createApp(tenant.managementToken()).status());
    assertEquals(200, sendBatch(tenant, 2).status());
    JsonNode self = http.get("/api/v1/tenant").bearer(tenant.managementToken()).send().json();
    assertEquals("business", self.at("/plan/code").asText());
  }

  @Test
  void theOperatorListsTenantsPageByPage() {
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(Tenants.create(http).tenantId());
    }
    patchPlan(created.get(1), "pro");
    List<JsonNode> seen = new ArrayList<>();
    String cursor = Long.toString(created.get(0) - 1);
    for (int page = 0; page < 2; page++) {
      JsonNode body = listTenants("?limit=2&cursor=" + cursor);
      body.get("tenants").forEach(seen::add);
      cursor = body.get("next_cursor").asText();
    }
    List<Long> ids = seen.stream().map(t -> t.get("tenant_id").asLong()).toList();
    assertTrue(ids.containsAll(created), ids::toString);
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i) > ids.get(i - 1), "in id order: " + ids);
    }
    JsonNode pro =
        seen.stream()
            .filter(t -> t.get("tenant_id").asLong() == created.get(1))
            .findFirst()
            .orElseThrow();
    assertEquals("pro", pro.at("/plan/code").asText());
    assertTrue(pro.has("name") && pro.has("created_at"), pro::toString);

    JsonNode last = listTenants("?cursor=" + Long.MAX_VALUE / 2);
    assertEquals(0, last.get("tenants").size());
    assertTrue(last.get("next_cursor").isNull(), last::toString);
  }

  @Test
  void badPlanChangesAreRefusedAndChangeNothing() {
    Tenants.TenantApp tenant = Tenants.create(http);
    long id = tenant.tenantId();
    String path = "/api/v1/tenants/" + id;

    assertError(
        patch("/api/v1/tenants/999999999999", "{\"plan\":\"pro\"}"), 404, "tenant_not_found");
    assertError(patch("/api/v1/tenants/abc", "{\"plan\":\"pro\"}"), 404, null);
    JsonNode unknown = assertError(patch(path, "{\"plan\":\"enterprise\"}"), 422, "unknown_plan");
    assertTrue(unknown.get("plans").toString().contains("unlimited"), unknown::toString);
    assertError(patch(path, "{\"plan\":"), 400, null);
    assertError(patch(path, "{}"), 422, null);
    assertError(patch(path, "{\"plan\":\"\"}"), 422, null);
    assertError(patch(path, "{\"name\":\"x\"}"), 422, null);
    assertError(patch(path, "{\"plan\":7}"), 400, null);
    assertError(patch(path, "[\"pro\"]"), 400, null);
    assertError(
        http.patch(path).bearer(tenant.managementToken()).body("{\"plan\":\"pro\"}").send(),
        401,
        "unauthorized");
    assertError(http.patch(path).body("{\"plan\":\"pro\"}").send(), 401, "unauthorized");
    assertError(
        http.get("/api/v1/tenants").bearer(tenant.managementToken()).send(), 401, "unauthorized");
    assertError(
        http.get("/api/v1/tenants?limit=0").bearer(TestApp.OPERATOR_TOKEN).send(),
        400,
        "invalid_parameter");
    assertError(
        http.get("/api/v1/tenants?cursor=x").bearer(TestApp.OPERATOR_TOKEN).send(),
        400,
        "invalid_parameter");
    assertError(
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "Acme", "plan", "enterprise"))
            .send(),
        422,
        "unknown_plan");

    assertEquals("unlimited", planInDatabase(id)); // unchanged by all of the above
  }

  @Test
  void theOperatorCreatesATenantOnAPlanInOneCall() {
    Http.Response created =
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "Acme " + System.nanoTime(), "plan", "pro"))
            .send();
    assertEquals(201, created.status(), created::toString);
    assertEquals("pro", created.json().get("plan").asText());
    Http.Response plain =
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "Plain " + System.nanoTime()))
            .send();
    assertEquals("unlimited", plain.json().get("plan").asText());
  }

  @Test
  void aPlanNoLongerConfiguredStaysForItsTenantsButIsNoLongerOffered() {
    String legacy = "legacy-" + (System.nanoTime() % 1_000_000_000L);
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO plans (code, name, max_apps, max_funnels, max_monthly_events,"
                    + " sort_order, available) VALUES (?, 'Legacy', 7, 7, 7000, 50, 1)",
                legacy));
    Tenants.TenantApp tenant = Tenants.create(http);
    jdbi.useHandle(
        h -> h.execute("UPDATE tenants SET plan_code = ? WHERE id = ?", legacy, tenant.tenantId()));

    // Any start of the service or of a command writes the configured plans: legacy is retired.
    Commands.Result plans = Commands.run(dir, "tenants", "plans");
    assertEquals(0, plans.exit(), plans.output());
    assertFalse(plans.output().contains(legacy), plans.output());
    int available =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT available FROM plans WHERE code = ?")
                    .bind(0, legacy)
                    .mapTo(Integer.class)
                    .one());
    assertEquals(0, available);
    JsonNode self = http.get("/api/v1/tenant").bearer(tenant.managementToken()).send().json();
    assertEquals(legacy, self.at("/plan/code").asText());
    assertEquals(7, self.at("/plan/max_apps").asInt());
    assertError(
        patch("/api/v1/tenants/" + tenant.tenantId(), "{\"plan\":\"" + legacy + "\"}"),
        422,
        "unknown_plan");
  }

  @Test
  void theCommandLineDoesWhatTheOperatorCallsDo() throws Exception {
    String name = "Cli " + System.nanoTime();
    Commands.Result created =
        Commands.run(
            dir,
            List.of("-Ddw.tenancy.defaultPlan="),
            "tenants",
            "create",
            "--name",
            name,
            "--json");
    assertEquals(0, created.exit(), created.output());
    JsonNode tenant = JSON.readTree(lastLine(created.output()));
    long id = tenant.get("tenant_id").asLong();
    assertEquals("unlimited", tenant.get("plan").asText());
    String token = tenant.get("management_token").asText();
    assertTrue(token.startsWith("mt_"), tenant::toString);
    // The token works against the running server at once.
    assertEquals(200, http.get("/api/v1/tenant").bearer(token).send().status());

    Commands.Result set =
        Commands.run(dir, "tenants", "set-plan", "--tenant", Long.toString(id), "--plan", "pro");
    assertEquals(0, set.exit(), set.output());
    assertTrue(
        set.output()
            .contains("is on plan pro (10 apps, 50 funnels, 50 cohorts, 5,000,000 events a month)"),
        set.output());
    assertEquals("pro", planInDatabase(id));

    Commands.Result app =
        Commands.run(
            dir, "apps", "create", "--tenant", Long.toString(id), "--name", "web", "--json");
    assertEquals(0, app.exit(), app.output());
    JsonNode appJson = JSON.readTree(lastLine(app.output()));
    assertTrue(appJson.get("app_key").asText().startsWith("ak_"), appJson::toString);
    Commands.Result appList = Commands.run(dir, "apps", "list", "--tenant", Long.toString(id));
    assertEquals(0, appList.exit(), appList.output());
    assertTrue(
        appList
            .output()
            .lines()
            .anyMatch(l -> l.matches(appJson.get("app_id").asText() + " +web .*")),
        appList.output());
    assertFalse(appList.output().contains("ak_"), "keys are shown once: " + appList.output());

    Commands.Result list = Commands.run(dir, "tenants", "list");
    assertEquals(0, list.exit(), list.output());
    assertTrue(list.output().contains(name), list.output());
    assertTrue(list.output().lines().anyMatch(l -> l.contains(name) && l.contains("pro")));

    Commands.Result wrongPlan =
        Commands.run(dir, "tenants", "set-plan", "--tenant", Long.toString(id), "--plan", "gold");
    assertNotEquals(0, wrongPlan.exit());
    assertTrue(wrongPlan.output().contains("error: No plan 'gold'"), wrongPlan.output());
    assertFalse(wrongPlan.output().contains("\tat "), "no stack trace: " + wrongPlan.output());
    Commands.Result noTenant =
        Commands.run(dir, "tenants", "set-plan", "--tenant", "999999999999", "--plan", "pro");
    assertNotEquals(0, noTenant.exit());
    assertTrue(noTenant.output().contains("error: Tenant 999999999999"), noTenant.output());
    assertEquals("pro", planInDatabase(id));
  }

  // ---------------------------------------------------------------- helpers

  static String lastLine(String output) {
    List<String> lines = output.strip().lines().toList();
    return lines.get(lines.size() - 1);
  }

  Http.Response patch(String path, String body) {
    return http.patch(path).bearer(TestApp.OPERATOR_TOKEN).body(body).send();
  }

  JsonNode patchPlan(long tenantId, String plan) {
    Http.Response response = patch("/api/v1/tenants/" + tenantId, "{\"plan\":\"" + plan + "\"}");
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  JsonNode listTenants(String query) {
    Http.Response response =
        http.get("/api/v1/tenants" + query).bearer(TestApp.OPERATOR_TOKEN).send();
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  Http.Response createApp(String token) {
    return http.post("/api/v1/apps").bearer(token).json(Map.of("name", "app")).send();
  }

  int apps(String token) {
    return http.get("/api/v1/apps").bearer(token).send().json().get("apps").size();
  }

  Http.Response createFunnel(Tenants.TenantApp tenant) {
    return http.post("/api/v1/apps/" + tenant.appId() + "/funnels")
        .bearer(tenant.managementToken())
        .body("{\"name\":\"f\",\"steps\":[{\"event_name\":\"a\"},{\"event_name\":\"b\"}]}")
        .send();
  }

  Http.Response sendBatch(Tenants.TenantApp tenant, int events) {
    StringBuilder body = new StringBuilder("{\"events\":[");
    for (int i = 0; i < events; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"event_name\":\"a\",\"user_identifier\":\"u")
          .append(i)
          .append("\"}");
    }
    return http.post("/api/v1/events/batch")
        .header("X-OL-Tenant-Key", tenant.tenantKey())
        .header("X-OL-App-Key", tenant.appKey())
        .body(body.append("]}").toString())
        .send();
  }

  static String period() {
    return YearMonth.now(ZoneOffset.UTC).toString();
  }

  void setAcceptedThisMonth(long tenantId, long accepted) {
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO usage_counters (tenant_id, period, accepted, rejected)"
                    + " VALUES (?, ?, ?, 0) ON DUPLICATE KEY UPDATE accepted = VALUES(accepted)",
                tenantId,
                period(),
                accepted));
  }

  long acceptedThisMonth(long tenantId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT accepted FROM usage_counters WHERE tenant_id = ? AND period = ?")
                .bind(0, tenantId)
                .bind(1, period())
                .mapTo(Long.class)
                .one());
  }

  String planInDatabase(long tenantId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT plan_code FROM tenants WHERE id = ?")
                .bind(0, tenantId)
                .mapTo(String.class)
                .one());
  }
}
