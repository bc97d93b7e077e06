package io.tracetics.explore;

import io.tracetics.engine.explore.ExploreException;
import io.tracetics.engine.explore.ReadOnlySqlRunner;
import io.tracetics.errors.ApiException;
import io.tracetics.errors.RetryableApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.AppService;
import java.util.Map;

/** Runs a tenant's read-only SQL over one of its apps (limits and refusals: the runner). */
public class ExploreService {
  private final AppService apps;
  private final ReadOnlySqlRunner runner;

  public ExploreService(AppService apps, ReadOnlySqlRunner runner) {
    this.apps = apps;
    this.runner = runner;
  }

  /**
   * Opens the query's result, to be streamed by one of the {@link ExploreWriters}, which close it.
   *
   * @throws ApiException 404 for another tenant's app, 400 for a refused query, 429 when the node
   *     runs as many queries as it allows
   */
  public ExploreAnswer open(TenantId tenant, AppId app, String query) {
    apps.get(tenant, app);
    try {
      return new ExploreAnswer(runner.open(app.value(), query));
    } catch (ExploreException e) {
      throw toApi(e);
    }
  }

  /** The row cap in force, sent with every answer. */
  public int maxRows() {
    return runner.limits().maxRows();
  }

  static ApiException toApi(ExploreException e) {
    if (e.kind() == ExploreException.Kind.BUSY) {
      return new RetryableApiException(429, e.kind().key(), e.getMessage(), 1, Map.of());
    }
    return ApiException.badRequest(e.kind().key(), e.getMessage());
  }
}
