package io.tracetics.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.ids.AppId;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {
  private static final AppId ONE = new AppId(1);
  private static final AppId TWO = new AppId(2);

  private static Access key(Set<Scope> scopes, AppId... apps) {
    return new Access(
        OptionalLong.of(7),
        scopes,
        apps.length == 0 ? Optional.empty() : Optional.of(Set.of(apps)));
  }

  @Test
  void theManagementTokenMayDoEverythingEverywhere() {
    for (Scope scope : Scope.values()) {
      assertEquals(
          Access.Decision.ALLOWED, Access.ROOT.check(Optional.of(scope), Optional.of(ONE)));
      assertEquals(
          Access.Decision.ALLOWED, Access.ROOT.check(Optional.of(scope), Optional.empty()));
    }
    assertTrue(Access.ROOT.isManagementToken());
  }

  @Test
  void scopesAreIndependentButAdminImpliesThemAll() {
    Access reader = key(EnumSet.of(Scope.REPORTS_READ));
    assertEquals(
        Access.Decision.ALLOWED, reader.check(Optional.of(Scope.REPORTS_READ), Optional.of(ONE)));
    for (Scope other : EnumSet.complementOf(EnumSet.of(Scope.REPORTS_READ))) {
      assertEquals(
          Access.Decision.INSUFFICIENT_SCOPE, reader.check(Optional.of(other), Optional.of(ONE)));
    }
    Access admin = key(EnumSet.of(Scope.ADMIN));
    for (Scope scope : Scope.values()) {
      assertTrue(admin.has(scope));
    }
    assertFalse(key(EnumSet.of(Scope.FUNNELS_WRITE)).has(Scope.REPORTS_READ));
  }

  @Test
  void anyScopeNeedsOnlyAVisibleApp() {
    Access sql = key(EnumSet.of(Scope.SQL_READ), ONE);
    assertEquals(Access.Decision.ALLOWED, sql.check(Optional.empty(), Optional.empty()));
    assertEquals(Access.Decision.ALLOWED, sql.check(Optional.empty(), Optional.of(ONE)));
    assertEquals(Access.Decision.APP_NOT_VISIBLE, sql.check(Optional.empty(), Optional.of(TWO)));
  }

  @Test
  void anAppOutsideTheKeysIsHiddenBeforeTheScopeIsChecked() {
    Access reader = key(EnumSet.of(Scope.REPORTS_READ), ONE);
    // Not INSUFFICIENT_SCOPE: the answer must not tell that app 2 exists.
    assertEquals(
        Access.Decision.APP_NOT_VISIBLE,
        reader.check(Optional.of(Scope.SQL_READ), Optional.of(TWO)));
    assertTrue(reader.mayUse(ONE));
    assertFalse(reader.mayUse(TWO));
    assertTrue(key(EnumSet.of(Scope.REPORTS_READ)).mayUse(TWO));
  }

  @Test
  void tenantWideAdministrationNeedsAKeyForEveryApp() {
    Access someApps = key(EnumSet.of(Scope.ADMIN), ONE);
    assertEquals(
        Access.Decision.NEEDS_ALL_APPS, someApps.check(Optional.of(Scope.ADMIN), Optional.empty()));
    assertEquals(
        Access.Decision.ALLOWED, someApps.check(Optional.of(Scope.ADMIN), Optional.of(ONE)));
    assertEquals(
        Access.Decision.ALLOWED,
        key(EnumSet.of(Scope.ADMIN)).check(Optional.of(Scope.ADMIN), Optional.empty()));
  }
}
