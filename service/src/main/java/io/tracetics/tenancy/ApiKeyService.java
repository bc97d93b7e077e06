package io.tracetics.tenancy;

import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.paging.Page;
import io.tracetics.paging.PageRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * A tenant's API keys: issue (the key shown once), list (never the key), revoke. A revoked key
 * stops working at once on this node and within the key cache's lifetime on the others.
 */
public class ApiKeyService {
  private final Jdbi jdbi;
  private final CredentialStore credentials;
  private final ApiKeyGrants grants;
  private final Clock clock;

  public ApiKeyService(Jdbi jdbi, CredentialStore credentials, ApiKeyGrants grants, Clock clock) {
    this.jdbi = jdbi;
    this.credentials = credentials;
    this.grants = grants;
    this.clock = clock;
  }

  /** A new key with the key itself, which is shown only in this response. */
  public record CreatedApiKey(ApiKeyRow row, String key) {}

  /**
   * Issues a key. The tenant's row is locked for the count, so concurrent creates cannot overshoot
   * the limit.
   */
  public CreatedApiKey create(TenantId tenant, ApiKeyApi.CreateApiKeyRequest request) {
    return jdbi.inTransaction(
        handle -> {
          ApiKeyDao keys = handle.attach(ApiKeyDao.class);
          keys.lockTenant(tenant).orElseThrow(() -> ApiException.notFound("Tenant", tenant));
          Set<AppId> liveApps =
              handle.attach(AppDao.class).list(tenant).stream()
                  .map(AppRow::id)
                  .collect(Collectors.toSet());
          ApiKeyRules.Definition definition =
              ApiKeyRules.validate(
                  request.name(),
                  request.scopes(),
                  request.appIds(),
                  request.expiresAt(),
                  liveApps,
                  clock.instant());
          int live = keys.countLive(tenant);
          if (live >= ApiKeyRules.MAX_LIVE_KEYS) {
            throw new ApiException(
                403,
                "api_key_limit_reached",
                "A tenant may hold at most "
                    + ApiKeyRules.MAX_LIVE_KEYS
                    + " live API keys; revoke one to create another",
                Map.of("limit", ApiKeyRules.MAX_LIVE_KEYS, "used", live));
          }
          CredentialStore.Issued issued =
              CredentialStore.issueWithId(
                  handle.attach(CredentialDao.class), tenant, null, CredentialKind.API_KEY);
          keys.insert(
              issued.id(),
              tenant,
              definition.name(),
              ApiKeyRules.storedScopes(definition.scopes()),
              ApiKeyRules.storedApps(definition.appIds()),
              definition.expiresAt());
          return new CreatedApiKey(keys.find(tenant, issued.id()).orElseThrow(), issued.secret());
        });
  }

  /** The tenant's keys that are not revoked, expired ones included, oldest first. */
  /** A page of the tenant's unrevoked keys in id order. */
  public Page<ApiKeyRow> page(TenantId tenant, PageRequest request) {
    return request.page(
        jdbi.withExtension(
            ApiKeyDao.class, dao -> dao.pageLive(tenant, request.afterId(), request.fetch())),
        ApiKeyRow::id);
  }

  public List<ApiKeyRow> list(TenantId tenant) {
    return jdbi.withExtension(ApiKeyDao.class, dao -> dao.listLive(tenant));
  }

  /** Revokes one key; revoking a revoked key again is a 404 like an unknown one. */
  public void revoke(TenantId tenant, long keyId) {
    Optional<CredentialRow> revoked =
        jdbi.inTransaction(
            handle -> {
              ApiKeyDao keys = handle.attach(ApiKeyDao.class);
              Optional<CredentialRow> live = keys.findLiveCredential(tenant, keyId);
              if (live.isEmpty() || keys.revoke(tenant, keyId) != 1) {
                throw new ApiException(404, "api_key_not_found", "API key " + keyId + " not found");
              }
              return live;
            });
    credentials.invalidate(List.of(revoked.get()));
    grants.invalidate(keyId);
  }

  /** A key id from a path: anything but a positive number names no key. */
  public static long parseId(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // falls through to the 404
    }
    throw new ApiException(404, "api_key_not_found", "API key " + text + " not found");
  }

  public java.time.Instant now() {
    return clock.instant();
  }
}
