package io.tracetics.tenancy;

import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.paging.Page;
import io.tracetics.paging.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * An app's write keys: issue (shown once), list (never the key), revoke one. An app may hold a
 * bounded number of live keys, enough to rotate each source of events on its own.
 */
public class WriteKeyService {
  /** Live write keys one app may hold. */
  public static final int MAX_LIVE_KEYS_PER_APP = 20;

  private final Jdbi jdbi;
  private final CredentialStore credentials;

  public WriteKeyService(Jdbi jdbi, CredentialStore credentials) {
    this.jdbi = jdbi;
    this.credentials = credentials;
  }

  /**
   * Issues a write key for the tenant's app. The app row is locked for the count, so concurrent
   * creates cannot overshoot the limit.
   */
  public CreatedWriteKey create(TenantId tenant, AppId app) {
    return jdbi.inTransaction(
        handle -> {
          WriteKeyDao keys = handle.attach(WriteKeyDao.class);
          if (keys.lockLiveApp(tenant, app).isEmpty()) {
            throw ApiException.notFound("App", app);
          }
          int live = keys.countLive(tenant, app);
          if (live >= MAX_LIVE_KEYS_PER_APP) {
            throw new ApiException(
                403,
                "write_key_limit_reached",
                "An app may hold at most "
                    + MAX_LIVE_KEYS_PER_APP
                    + " live write keys; revoke one to create another",
                Map.of("limit", MAX_LIVE_KEYS_PER_APP, "used", live));
          }
          CredentialStore.Issued issued =
              CredentialStore.issueWithId(
                  handle.attach(CredentialDao.class), tenant, app, CredentialKind.WRITE_KEY);
          return new CreatedWriteKey(
              keys.find(tenant, app, issued.id()).orElseThrow(), issued.secret());
        });
  }

  /** Every write key the app has had, live and revoked, oldest first. */
  /** A page of the app's write keys (revoked ones too) in id order. */
  public Page<WriteKeyRow> page(TenantId tenant, AppId app, PageRequest request) {
    return jdbi.withHandle(
        handle -> {
          if (handle.attach(AppDao.class).find(tenant, app).isEmpty()) {
            throw ApiException.notFound("App", app);
          }
          return request.page(
              handle
                  .attach(WriteKeyDao.class)
                  .page(tenant, app, request.afterId(), request.fetch()),
              WriteKeyRow::id);
        });
  }

  public List<WriteKeyRow> list(TenantId tenant, AppId app) {
    return jdbi.withHandle(
        handle -> {
          if (handle.attach(AppDao.class).find(tenant, app).isEmpty()) {
            throw ApiException.notFound("App", app);
          }
          return handle.attach(WriteKeyDao.class).list(tenant, app);
        });
  }

  /**
   * Revokes one write key: it stops working at once on this node, within the key cache's lifetime
   * on others. Revoking a revoked key again changes nothing.
   */
  public void revoke(TenantId tenant, AppId app, long keyId) {
    List<CredentialRow> revoked = new ArrayList<>();
    jdbi.useTransaction(
        handle -> {
          if (handle.attach(AppDao.class).find(tenant, app).isEmpty()) {
            throw ApiException.notFound("App", app);
          }
          WriteKeyDao keys = handle.attach(WriteKeyDao.class);
          if (keys.find(tenant, app, keyId).isEmpty()) {
            throw new ApiException(404, "write_key_not_found", "Write key " + keyId + " not found");
          }
          Optional<CredentialRow> live = keys.findLive(tenant, app, keyId);
          if (live.isPresent() && keys.revoke(tenant, app, keyId) == 1) {
            revoked.add(live.get());
          }
        });
    credentials.invalidate(revoked);
  }

  /** A new write key with the key itself, which is shown only in this response. */
  public record CreatedWriteKey(WriteKeyRow row, String writeKey) {}
}
