package io.tracetics.tenancy;

import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.paging.Page;
import io.tracetics.paging.PageRequest;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** A tenant's tracked apps: create within the plan's limit, list, get, delete, rotate keys. */
public class AppService {
  private final Jdbi jdbi;
  private final CredentialStore credentials;

  public AppService(Jdbi jdbi, CredentialStore credentials) {
    this.jdbi = jdbi;
    this.credentials = credentials;
  }

  /**
   * Creates an app and its key. The tenant row is locked for the check, so concurrent creates
   * cannot overshoot the plan's app limit.
   */
  public CreatedApp create(TenantId tenant, String name) {
    return jdbi.inTransaction(
        handle -> {
          AppDao apps = handle.attach(AppDao.class);
          PlanLimits.lockWithRoomFor(
              handle, tenant, "App", PlanRow::maxApps, () -> apps.countLive(tenant));
          AppId id = new AppId(apps.insert(tenant, name));
          String key =
              CredentialStore.issue(
                  handle.attach(CredentialDao.class), tenant, id, CredentialKind.APP_KEY);
          return new CreatedApp(apps.find(tenant, id).orElseThrow(), key);
        });
  }

  public List<AppRow> list(TenantId tenant) {
    return jdbi.withExtension(AppDao.class, dao -> dao.list(tenant));
  }

  /** A page of the tenant's live apps in id order. */
  public Page<AppRow> page(TenantId tenant, PageRequest request) {
    return request.page(
        jdbi.withExtension(
            AppDao.class, dao -> dao.page(tenant, request.afterId(), request.fetch())),
        row -> row.id().value());
  }

  /** The app, if this tenant owns it; another tenant's app is "not found", like a missing one. */
  public AppRow get(TenantId tenant, AppId app) {
    return jdbi.withExtension(AppDao.class, dao -> dao.find(tenant, app))
        .orElseThrow(() -> ApiException.notFound("App", app));
  }

  /**
   * Hides the app and revokes its keys (app key and write keys). Its events stay in the system of
   * record.
   */
  public void delete(TenantId tenant, AppId app) {
    List<CredentialRow> revoked = new ArrayList<>();
    jdbi.useTransaction(
        handle -> {
          if (handle.attach(AppDao.class).softDelete(tenant, app) == 0) {
            throw ApiException.notFound("App", app);
          }
          CredentialDao dao = handle.attach(CredentialDao.class);
          for (CredentialKind kind : List.of(CredentialKind.APP_KEY, CredentialKind.WRITE_KEY)) {
            revoked.addAll(dao.live(tenant, kind.dbValue(), app));
            dao.revoke(tenant, kind.dbValue(), app);
          }
        });
    credentials.invalidate(revoked);
  }

  /** Replaces the app's key; the old key stops working. */
  public CreatedApp rotateKey(TenantId tenant, AppId app) {
    List<CredentialRow> revoked = new ArrayList<>();
    CreatedApp rotated =
        jdbi.inTransaction(
            handle -> {
              AppRow row =
                  handle
                      .attach(AppDao.class)
                      .find(tenant, app)
                      .orElseThrow(() -> ApiException.notFound("App", app));
              CredentialDao dao = handle.attach(CredentialDao.class);
              revoked.addAll(dao.live(tenant, CredentialKind.APP_KEY.dbValue(), app));
              dao.revoke(tenant, CredentialKind.APP_KEY.dbValue(), app);
              return new CreatedApp(
                  row, CredentialStore.issue(dao, tenant, app, CredentialKind.APP_KEY));
            });
    credentials.invalidate(revoked);
    return rotated;
  }

  /** An app with its key, which is shown only in this response. */
  public record CreatedApp(AppRow app, String appKey) {}
}
