package io.tracetics.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyRulesTest {
  private static final Instant NOW = Instant.parse("2026-12-08T10:00:00Z");
  private static final Set<AppId> APPS = Set.of(new AppId(1), new AppId(2));

  private static ApiException refused(Runnable validation) {
    return assertThrows(ApiException.class, validation::run);
  }

  @Test
  void aValidDefinitionIsNormalized() {
    ApiKeyRules.Definition definition =
        ApiKeyRules.validate(
            "  ci reader ",
            List.of("sql:read", "reports:read", "sql:read"),
            List.of(2L, 1L, 2L),
            "2027-01-01T00:00:00+01:00",
            APPS,
            NOW);
    assertEquals("ci reader", definition.name());
    assertEquals(EnumSet.of(Scope.REPORTS_READ, Scope.SQL_READ), definition.scopes());
    assertEquals(
        List.of(1L, 2L), definition.appIds().orElseThrow().stream().map(AppId::value).toList());
    assertEquals(Instant.parse("2026-12-31T23:00:00Z"), definition.expiresAt());
  }

  @Test
  void leftOutAppsAndExpiryMeanEveryAppAndNever() {
    ApiKeyRules.Definition definition =
        ApiKeyRules.validate("k", List.of("admin"), null, null, APPS, NOW);
    assertEquals(Optional.empty(), definition.appIds());
    assertNull(definition.expiresAt());
  }

  @Test
  void theName() {
    assertEquals("invalid_name", refused(() -> ApiKeyRules.name(null)).error());
    assertEquals("invalid_name", refused(() -> ApiKeyRules.name("   ")).error());
    assertEquals("invalid_name", refused(() -> ApiKeyRules.name("x".repeat(101))).error());
    assertEquals("x".repeat(100), ApiKeyRules.name("x".repeat(100)));
  }

  @Test
  void theScopes() {
    assertEquals("invalid_scopes", refused(() -> ApiKeyRules.scopes(null)).error());
    assertEquals("invalid_scopes", refused(() -> ApiKeyRules.scopes(List.of())).error());
    ApiException unknown = refused(() -> ApiKeyRules.scopes(List.of("reports:read", "write")));
    assertEquals("invalid_scopes", unknown.error());
    assertEquals(1, unknown.details().get("index"));
    assertTrue(unknown.getMessage().contains("scopes[1]"));
    assertEquals(
        "invalid_scopes",
        refused(() -> ApiKeyRules.scopes(Collections.singletonList((String) null))).error());
    // Names are exact: no case folding, no padding.
    assertEquals("invalid_scopes", refused(() -> ApiKeyRules.scopes(List.of("Admin"))).error());
  }

  @Test
  void theApps() {
    assertEquals("invalid_app_ids", refused(() -> ApiKeyRules.apps(List.of(), APPS)).error());
    ApiException foreign = refused(() -> ApiKeyRules.apps(List.of(1L, 3L), APPS));
    assertEquals(422, foreign.status());
    assertEquals("unknown_app", foreign.error());
    assertEquals(1, foreign.details().get("index"));
    assertEquals("unknown_app", refused(() -> ApiKeyRules.apps(List.of(0L), APPS)).error());
    assertEquals("unknown_app", refused(() -> ApiKeyRules.apps(List.of(-4L), APPS)).error());
    assertEquals(
        "unknown_app", refused(() -> ApiKeyRules.apps(Arrays.asList(1L, null), APPS)).error());
  }

  @Test
  void theExpiry() {
    assertEquals("invalid_expires_at", refused(() -> ApiKeyRules.expiry("tomorrow", NOW)).error());
    assertEquals(
        "invalid_expires_at",
        refused(() -> ApiKeyRules.expiry("2026-12-08T10:00:00", NOW)).error());
    assertEquals(
        "invalid_expires_at",
        refused(() -> ApiKeyRules.expiry("2026-12-08T10:00:00Z", NOW)).error());
    assertEquals(
        Instant.parse("2026-12-08T10:00:01Z"), ApiKeyRules.expiry("2026-12-08T10:00:01Z", NOW));
  }

  @Test
  void theStoredFormsRoundTrip() {
    Set<Scope> scopes = EnumSet.of(Scope.ADMIN, Scope.SQL_READ);
    assertEquals("sql:read admin", ApiKeyRules.storedScopes(scopes));
    assertEquals(scopes, ApiKeyRules.parseStoredScopes(ApiKeyRules.storedScopes(scopes)));
    var apps = ApiKeyRules.apps(List.of(12L, 3L), Set.of(new AppId(3), new AppId(12)));
    assertEquals("3 12", ApiKeyRules.storedApps(apps));
    assertEquals(
        List.of(3L, 12L),
        ApiKeyRules.parseStoredApps("3 12").orElseThrow().stream().map(AppId::value).toList());
    assertNull(ApiKeyRules.storedApps(Optional.empty()));
    assertEquals(Optional.empty(), ApiKeyRules.parseStoredApps(null));
  }
}
