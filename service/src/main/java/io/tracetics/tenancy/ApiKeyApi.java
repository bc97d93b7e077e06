package io.tracetics.tenancy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tracetics.ids.AppId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/** The JSON of {@code /api/v1/tenant/api-keys} and {@code /api/v1/tenant/access}. */
public final class ApiKeyApi {
  private ApiKeyApi() {}

  /** {@code app_ids} null (or left out): every app of the tenant, present and future. */
  public record CreateApiKeyRequest(
      @JsonProperty("name") String name,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("app_ids") List<Long> appIds,
      @JsonProperty("expires_at") String expiresAt) {}

  public record ApiKeyResponse(
      @JsonProperty("key_id") long keyId,
      @JsonProperty("name") String name,
      @JsonProperty("key") @JsonInclude(JsonInclude.Include.NON_NULL) String key,
      @JsonProperty("key_prefix") String keyPrefix,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("app_ids") List<Long> appIds,
      @JsonProperty("expires_at") Instant expiresAt,
      @JsonProperty("expired") boolean expired,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("last_used_at") Instant lastUsedAt) {
    public static ApiKeyResponse of(ApiKeyRow row, String key, Instant now) {
      return new ApiKeyResponse(
          row.id(),
          row.name(),
          key,
          row.keyPrefix(),
          scopeNames(row.scopes()),
          row.appIds().map(ids -> ids.stream().map(AppId::value).toList()).orElse(null),
          row.expiresAt(),
          row.expiredAt(now),
          row.createdAt(),
          row.lastUsedAt());
    }
  }

  public record ApiKeyListResponse(
      @JsonProperty("api_keys") List<ApiKeyResponse> apiKeys,
      @JsonProperty("next_cursor") String nextCursor) {}

  /** What the calling credential may do, so that clients (the dashboard) show only that. */
  public record AccessResponse(
      @JsonProperty("tenant_id") long tenantId,
      @JsonProperty("credential") String credential,
      @JsonProperty("key_id") Long keyId,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("app_ids") List<Long> appIds) {
    public static AccessResponse of(TenantPrincipal principal) {
      Access access = principal.access();
      return new AccessResponse(
          principal.tenantId().value(),
          access.isManagementToken()
              ? CredentialKind.MANAGEMENT_TOKEN.dbValue()
              : CredentialKind.API_KEY.dbValue(),
          access.apiKeyId().isPresent() ? access.apiKeyId().getAsLong() : null,
          scopeNames(access.scopes()),
          access
              .appIds()
              .map(ids -> ids.stream().map(AppId::value).sorted().toList())
              .orElse(null));
    }
  }

  static List<String> scopeNames(java.util.Set<Scope> scopes) {
    return scopes.isEmpty()
        ? List.of()
        : EnumSet.copyOf(scopes).stream().map(Scope::apiName).toList();
  }
}
