package io.tracetics.tenancy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tracetics.ids.AppId;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * Request and response bodies of the tenancy endpoints (field names are part of the public API
 * contract: never rename them).
 */
public final class TenancyApi {
  private TenancyApi() {}

  /** Printable text only: no control characters in names. */
  static final String NAME_PATTERN = "^[^\\p{Cntrl}]*$";

  /** {@code plan} is optional: without it the tenant starts on the default plan. */
  public record CreateTenantRequest(
      @JsonProperty("name")
          @NotBlank
          @Size(max = 200)
          @Pattern(regexp = NAME_PATTERN, message = "must not contain control characters")
          String name,
      @JsonProperty("plan") @Size(min = 1, max = 32) String plan) {}

  /** The operator's change to a tenant. */
  public record UpdateTenantRequest(@JsonProperty("plan") @NotBlank @Size(max = 32) String plan) {}

  public record TenantListResponse(
      @JsonProperty("tenants") List<TenantResponse> tenants,
      @JsonProperty("next_cursor") String nextCursor) {}

  public record CreateAppRequest(
      @JsonProperty("name")
          @NotBlank
          @Size(max = 200)
          @Pattern(regexp = NAME_PATTERN, message = "must not contain control characters")
          String name) {}

  public record RotateTenantKeyRequest(
      @JsonProperty("kind")
          @NotNull
          @Pattern(
              regexp = "tenant_key|management_token",
              message = "must be tenant_key or management_token")
          String kind) {}

  /** A plan's limits; null where the plan has none. */
  public record PlanResponse(
      @JsonProperty("code") String code,
      @JsonProperty("name") String name,
      @JsonProperty("max_apps") Integer maxApps,
      @JsonProperty("max_funnels") Integer maxFunnels,
      @JsonProperty("max_cohorts") Integer maxCohorts,
      @JsonProperty("max_monthly_events") Long maxMonthlyEvents) {
    public static PlanResponse of(PlanRow plan) {
      return new PlanResponse(
          plan.code(),
          plan.name(),
          plan.maxApps(),
          plan.maxFunnels(),
          plan.maxCohorts(),
          plan.maxMonthlyEvents());
    }
  }

  public record TenantCreatedResponse(
      @JsonProperty("tenant_id") long tenantId,
      @JsonProperty("name") String name,
      @JsonProperty("tenant_key") String tenantKey,
      @JsonProperty("management_token") String managementToken,
      @JsonProperty("plan") String plan) {}

  public record TenantResponse(
      @JsonProperty("tenant_id") long tenantId,
      @JsonProperty("name") String name,
      @JsonProperty("plan") PlanResponse plan,
      @JsonProperty("created_at") Instant createdAt) {
    public static TenantResponse of(TenantRow row) {
      return new TenantResponse(
          row.id().value(), row.name(), PlanResponse.of(row.plan()), row.createdAt());
    }
  }

  public record RotatedKeyResponse(
      @JsonProperty("kind") String kind, @JsonProperty("key") String key) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AppResponse(
      @JsonProperty("app_id") long appId,
      @JsonProperty("name") String name,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("app_key") String appKey) {
    public static AppResponse of(AppRow row, String key) {
      return new AppResponse(row.id().value(), row.name(), row.createdAt(), key);
    }
  }

  public record AppListResponse(
      @JsonProperty("apps") List<AppResponse> apps,
      @JsonProperty("next_cursor") String nextCursor) {}

  /**
   * A write key: {@code write_key} only in the answer that creates it; {@code revoked_at} null
   * while it is live.
   */
  @JsonPropertyOrder({"key_id", "app_id", "write_key", "key_prefix", "created_at", "revoked_at"})
  public record WriteKeyResponse(
      @JsonProperty("key_id") long keyId,
      @JsonProperty("app_id") long appId,
      @JsonProperty("write_key") @JsonInclude(JsonInclude.Include.NON_NULL) String writeKey,
      @JsonProperty("key_prefix") String keyPrefix,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("revoked_at") Instant revokedAt) {
    public static WriteKeyResponse of(AppId app, WriteKeyRow row, String key) {
      return new WriteKeyResponse(
          row.id(), app.value(), key, row.keyPrefix(), row.createdAt(), row.revokedAt());
    }
  }

  public record WriteKeyListResponse(
      @JsonProperty("write_keys") List<WriteKeyResponse> writeKeys,
      @JsonProperty("next_cursor") String nextCursor) {}
}
