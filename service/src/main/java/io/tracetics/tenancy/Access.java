package io.tracetics.tenancy;

import io.tracetics.ids.AppId;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the credential of a request may do: the management token may do everything; an API key what
 * its scopes allow ({@link Scope#ADMIN} implies the others), on its apps when it names some.
 *
 * @param apiKeyId the API key's id, empty for the management token
 * @param scopes the scopes granted
 * @param appIds the apps it may use, empty for every app of the tenant
 */
public record Access(OptionalLong apiKeyId, Set<Scope> scopes, Optional<Set<AppId>> appIds) {
  /** The management token's access. */
  public static final Access ROOT =
      new Access(OptionalLong.empty(), EnumSet.allOf(Scope.class), Optional.empty());

  public Access {
    scopes = Set.copyOf(scopes);
    appIds = appIds.map(Set::copyOf);
  }

  /** The outcome of checking a request against this access. */
  public enum Decision {
    ALLOWED,
    /** The scope is missing: 403 naming it. */
    INSUFFICIENT_SCOPE,
    /** The app is not one of the key's: answered like an app that does not exist. */
    APP_NOT_VISIBLE,
    /** A tenant-wide administrative call by a key limited to some apps. */
    NEEDS_ALL_APPS
  }

  public boolean isManagementToken() {
    return apiKeyId.isEmpty();
  }

  public boolean has(Scope scope) {
    return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
  }

  public boolean mayUse(AppId app) {
    return appIds.map(ids -> ids.contains(app)).orElse(true);
  }

  /**
   * Checks a call needing {@code required} (empty: any scope) on {@code app} (empty: a call not
   * about one app). The app is checked first, so a key learns nothing about apps it may not use.
   */
  public Decision check(Optional<Scope> required, Optional<AppId> app) {
    if (app.isPresent() && !mayUse(app.get())) {
      return Decision.APP_NOT_VISIBLE;
    }
    if (required.isEmpty()) {
      return Decision.ALLOWED;
    }
    if (!has(required.get())) {
      return Decision.INSUFFICIENT_SCOPE;
    }
    if (required.get() == Scope.ADMIN && app.isEmpty() && appIds.isPresent()) {
      return Decision.NEEDS_ALL_APPS;
    }
    return Decision.ALLOWED;
  }
}
