package io.tracetics.tenancy;

import java.util.Optional;

/**
 * What an API key may do. The management token (the tenant's root secret) and a key with {@link
 * #ADMIN} may do everything; the other scopes are independent of each other.
 */
public enum Scope {
  /** Funnels, reports, actors, traces, persons and cohorts: read. */
  REPORTS_READ("reports:read"),
  /** The read-only SQL endpoint. */
  SQL_READ("sql:read"),
  /** Funnels and cohorts (and a funnel's share links and alerts): create, edit, delete. */
  FUNNELS_WRITE("funnels:write"),
  /** Everything the management token can do: apps, their keys, API keys, billing. */
  ADMIN("admin");

  private final String apiName;

  Scope(String apiName) {
    this.apiName = apiName;
  }

  /** The name clients send and read, such as {@code reports:read}. */
  public String apiName() {
    return apiName;
  }

  public static Optional<Scope> fromApiName(String name) {
    for (Scope scope : values()) {
      if (scope.apiName.equals(name)) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }
}
