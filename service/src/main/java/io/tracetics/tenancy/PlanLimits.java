package io.tracetics.tenancy;

import io.tracetics.errors.ApiException;
import io.tracetics.ids.TenantId;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.jdbi.v3.core.Handle;

/** The check made before creating anything a plan limits (apps, funnels, cohorts). */
public final class PlanLimits {
  private PlanLimits() {}

  /**
   * Locks the tenant row for the rest of the transaction (so concurrent creates cannot overshoot)
   * and refuses with a 403 naming the limit and the plan when {@code used} has reached the
   * effective plan's limit for {@code thing} ("App", "Funnel", "Cohort"); a plan without that limit
   * (null) always has room.
   */
  public static TenantRow lockWithRoomFor(
      Handle handle,
      TenantId tenant,
      String thing,
      Function<PlanRow, Integer> limitOf,
      IntSupplier used) {
    TenantRow row =
        handle
            .attach(TenantDao.class)
            .lock(tenant)
            .orElseThrow(() -> ApiException.notFound("Tenant", tenant));
    Integer limit = limitOf.apply(row.plan());
    if (limit == null) {
      return row;
    }
    int count = used.getAsInt();
    if (!PlanRow.roomForOneMore(limit.longValue(), count)) {
      throw PlanLimitException.reached(thing, row.plan(), limit, count);
    }
    return row;
  }
}
