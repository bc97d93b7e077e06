package io.tracetics.tenancy;

import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The rules of an API key's definition, as plain functions: its name, scopes, apps and expiry, and
 * how its grant is stored. Every problem is a 400 (or 422 for an app that is not the tenant's)
 * naming the field.
 */
public final class ApiKeyRules {
  /** Live API keys one tenant may hold. */
  public static final int MAX_LIVE_KEYS = 50;

  public static final int MAX_NAME_LENGTH = 100;
  public static final int MAX_APPS = 100;

  private static final Comparator<AppId> BY_ID = Comparator.comparingLong(AppId::value);

  private ApiKeyRules() {}

  /** A key's definition, validated. */
  public record Definition(
      String name, Set<Scope> scopes, Optional<SortedSet<AppId>> appIds, Instant expiresAt) {}

  /**
   * Validates a request's fields.
   *
   * @param appIds null for every app
   * @param expiresAt ISO-8601 with an offset, or null for a key that does not expire
   * @param liveApps the tenant's live apps
   */
  public static Definition validate(
      String name,
      List<String> scopes,
      List<Long> appIds,
      String expiresAt,
      Set<AppId> liveApps,
      Instant now) {
    return new Definition(
        name(name), scopes(scopes), apps(appIds, liveApps), expiry(expiresAt, now));
  }

  static String name(String name) {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_NAME_LENGTH) {
      throw ApiException.badRequest(
          "invalid_name", "name must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    return stripped;
  }

  static Set<Scope> scopes(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw ApiException.badRequest(
          "invalid_scopes", "scopes must list at least one of " + knownScopes());
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (int i = 0; i < names.size(); i++) {
      String given = names.get(i);
      Optional<Scope> scope = given == null ? Optional.empty() : Scope.fromApiName(given);
      if (scope.isEmpty()) {
        throw new ApiException(
            400,
            "invalid_scopes",
            "scopes[" + i + "] is not a scope; scopes are " + knownScopes(),
            Map.of("index", i));
      }
      scopes.add(scope.get());
    }
    return scopes;
  }

  static Optional<SortedSet<AppId>> apps(List<Long> ids, Set<AppId> liveApps) {
    if (ids == null) {
      return Optional.empty();
    }
    if (ids.isEmpty() || ids.size() > MAX_APPS) {
      throw ApiException.badRequest(
          "invalid_app_ids",
          "app_ids must list 1 to " + MAX_APPS + " apps, or be left out for every app");
    }
    SortedSet<AppId> apps = new TreeSet<>(BY_ID);
    for (int i = 0; i < ids.size(); i++) {
      Long id = ids.get(i);
      if (id == null || id <= 0 || !liveApps.contains(new AppId(id))) {
        throw new ApiException(
            422,
            "unknown_app",
            "app_ids[" + i + "] is not an app of this tenant",
            Map.of("index", i));
      }
      apps.add(new AppId(id));
    }
    return Optional.of(apps);
  }

  static Instant expiry(String expiresAt, Instant now) {
    if (expiresAt == null) {
      return null;
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(expiresAt).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "invalid_expires_at", "expires_at must be ISO-8601 with an offset");
    }
    if (!at.isAfter(now)) {
      throw ApiException.badRequest("invalid_expires_at", "expires_at must be in the future");
    }
    return at;
  }

  /** The stored form of scopes: their names separated by spaces. */
  public static String storedScopes(Set<Scope> scopes) {
    return EnumSet.copyOf(scopes).stream().map(Scope::apiName).collect(Collectors.joining(" "));
  }

  public static Set<Scope> parseStoredScopes(String stored) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : stored.trim().split(" +")) {
      Scope.fromApiName(name).ifPresent(scopes::add);
    }
    return scopes;
  }

  /** The stored form of apps: ids separated by spaces, null for every app. */
  public static String storedApps(Optional<SortedSet<AppId>> apps) {
    return apps.map(
            ids ->
                ids.stream().map(id -> Long.toString(id.value())).collect(Collectors.joining(" ")))
        .orElse(null);
  }

  public static Optional<SortedSet<AppId>> parseStoredApps(String stored) {
    if (stored == null) {
      return Optional.empty();
    }
    SortedSet<AppId> apps = new TreeSet<>(BY_ID);
    for (String id : stored.trim().split(" +")) {
      apps.add(new AppId(Long.parseLong(id)));
    }
    return Optional.of(apps);
  }

  private static String knownScopes() {
    return EnumSet.allOf(Scope.class).stream()
        .map(Scope::apiName)
        .collect(Collectors.joining(", "));
  }
}
