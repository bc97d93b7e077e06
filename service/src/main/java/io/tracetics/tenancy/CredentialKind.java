package io.tracetics.tenancy;

/**
 * The kinds of secrets Tracetics hands out. Tenant and app keys are embedded in browsers and apps
 * and can only write events; a write key (several per app) alone names its app and can only write
 * through the Segment-compatible endpoints; the management token is the tenant's secret for
 * everything else; an API key does what its scopes allow, on its apps.
 */
public enum CredentialKind {
  TENANT_KEY("tenant_key", "tk_"),
  APP_KEY("app_key", "ak_"),
  MANAGEMENT_TOKEN("management_token", "mt_"),
  WRITE_KEY("write_key", "wk_"),
  API_KEY("api_key", "rk_");

  private final String dbValue;
  private final String prefix;

  CredentialKind(String dbValue, String prefix) {
    this.dbValue = dbValue;
    this.prefix = prefix;
  }

  public String dbValue() {
    return dbValue;
  }

  public String prefix() {
    return prefix;
  }

  public static CredentialKind fromDb(String value) {
    for (CredentialKind kind : values()) {
      if (kind.dbValue.equals(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("Unknown credential kind " + value);
  }
}
