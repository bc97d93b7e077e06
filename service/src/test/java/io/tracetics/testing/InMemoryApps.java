package io.tracetics.testing;

import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.paging.Page;
import io.tracetics.paging.PageRequest;
import io.tracetics.tenancy.AppRow;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.PlanLimitException;
import io.tracetics.tenancy.PlanRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link AppService}'s answers kept in a map instead of the database, for resource tests: apps
 * belong to one tenant each, another tenant's app is not found, and a tenant has room for {@link
 * #PLAN}'s {@code maxApps} live apps. Keys are {@code key-<app>-<n>}, n counting rotations.
 */
public final class InMemoryApps extends AppService {
  public static final PlanRow PLAN = new PlanRow("free", "Free", 2, 5, 5, 100_000L, 0, true);
  public static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");

  private final Map<AppId, AppRow> apps =
      new TreeMap<>((a, b) -> Long.compare(a.value(), b.value()));
  private long nextId = 1;
  private int keys;

  public InMemoryApps() {
    super(null, null);
  }

  /** Adds an app without a key, as if created earlier. */
  public synchronized AppRow add(TenantId tenant, String name) {
    AppRow row = new AppRow(AppId.of(nextId++), tenant, name, CREATED);
    apps.put(row.id(), row);
    return row;
  }

  @Override
  public synchronized CreatedApp create(TenantId tenant, String name) {
    long live = list(tenant).size();
    if (live >= PLAN.maxApps()) {
      throw PlanLimitException.reached("App", PLAN, PLAN.maxApps(), live);
    }
    AppRow row = add(tenant, name);
    return new CreatedApp(row, key(row.id()));
  }

  @Override
  public synchronized List<AppRow> list(TenantId tenant) {
    return apps.values().stream().filter(app -> app.tenantId().equals(tenant)).toList();
  }

  @Override
  public synchronized Page<AppRow> page(TenantId tenant, PageRequest request) {
    return request.page(
        list(tenant).stream()
            .filter(app -> app.id().value() > request.afterId())
            .limit(request.fetch())
            .toList(),
        app -> app.id().value());
  }

  @Override
  public synchronized AppRow get(TenantId tenant, AppId app) {
    AppRow row = apps.get(app);
    if (row == null || !row.tenantId().equals(tenant)) {
      throw ApiException.notFound("App", app);
    }
    return row;
  }

  @Override
  public synchronized void delete(TenantId tenant, AppId app) {
    apps.remove(get(tenant, app).id());
  }

  @Override
  public synchronized CreatedApp rotateKey(TenantId tenant, AppId app) {
    return new CreatedApp(get(tenant, app), key(app));
  }

  private String key(AppId app) {
    return "key-" + app.value() + "-" + keys++;
  }
}
