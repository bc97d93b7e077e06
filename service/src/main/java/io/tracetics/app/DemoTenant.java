package io.tracetics.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.PlanRow;
import io.tracetics.tenancy.TenantService;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;

/**
 * The demo tenant and app of a fresh embedded install. Keys are stored only as hashes in the
 * database, so the demo's keys are kept in {@code <dataDir>/demo-keys.json} (owner-only) to be
 * shown again on later starts.
 */
final class DemoTenant {
  private DemoTenant() {}

  record DemoKeys(
      @JsonProperty("tenant_id") long tenantId,
      @JsonProperty("tenant_key") String tenantKey,
      @JsonProperty("management_token") String managementToken,
      @JsonProperty("app_id") long appId,
      @JsonProperty("app_key") String appKey) {}

  static DemoKeys ensure(
      Jdbi jdbi, TenantService tenants, AppService apps, ObjectMapper json, Path dataDir) {
    Path file = dataDir.resolve("demo-keys.json").toAbsolutePath();
    try {
      if (Files.exists(file)) {
        DemoKeys keys = json.readValue(file.toFile(), DemoKeys.class);
        boolean stillThere =
            jdbi.withHandle(
                h ->
                    h.createQuery("SELECT COUNT(*) FROM tenants WHERE id = :id")
                            .bind("id", keys.tenantId())
                            .mapTo(Integer.class)
                            .one()
                        > 0);
        if (stillThere) {
          return keys;
        }
      }
      TenantService.CreatedTenant tenant = tenants.create("Demo");
      TenantId id = tenant.tenant().id();
      AppService.CreatedApp app = apps.create(id, "demo-web");
      DemoKeys keys =
          new DemoKeys(
              id.value(),
              tenant.tenantKey(),
              tenant.managementToken(),
              app.app().id().value(),
              app.appKey());
      PrivateFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(keys));
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write " + file, e);
    }
  }

  static void print(
      PrintStream out, DemoKeys keys, PlanRow plan, String baseUrl, Path operatorTokenFile) {
    out.println();
    out.println("==================== Tracetics is running ====================");
    out.println("  API:              " + baseUrl);
    out.println("  Dashboard:        " + baseUrl + "/   (sign in with the management token)");
    out.println("  Demo tenant key:  " + keys.tenantKey());
    out.println("  Demo app key:     " + keys.appKey() + "   (app_id " + keys.appId() + ")");
    out.println("  Management token: " + keys.managementToken());
    out.println("  Plan:             " + plan.code() + " (" + plan.describeLimits() + ")");
    if (operatorTokenFile != null) {
      out.println("  Operator token:   in " + operatorTokenFile);
    }
    out.println();
    out.println("  Send an event:");
    out.println(
        "  curl -i -X POST "
            + baseUrl
            + "/api/v1/events -H 'Content-Type: application/json' \\\n"
            + "    -H 'X-OL-Tenant-Key: "
            + keys.tenantKey()
            + "' -H 'X-OL-App-Key: "
            + keys.appKey()
            + "' \\\n"
            + "    -d '{\"event_name\": \"signup_completed\", \"user_identifier\": \"user_123\","
            + " \"metadata\": {\"plan\": \"pro\"}}'");
    out.println();
    out.println("  List your apps:");
    out.println(
        "  curl -s "
            + baseUrl
            + "/api/v1/apps -H 'Authorization: Bearer "
            + keys.managementToken()
            + "'");
    out.println("===============================================================");
    out.println();
    out.flush();
  }
}
