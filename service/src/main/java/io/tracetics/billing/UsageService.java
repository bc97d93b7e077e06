package io.tracetics.billing;

import io.tracetics.errors.ApiException;
import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.PlanRow;
import io.tracetics.tenancy.TenantDao;
import io.tracetics.tenancy.TenantRow;
import io.tracetics.tenancy.UsagePeriod;
import java.time.Clock;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/** What a tenant uses against the limits of its effective plan. */
public class UsageService {
  private final Jdbi jdbi;
  private final Clock clock;

  UsageService(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** One tenant's usage, read in one transaction so the figures fit together. */
  public record Usage(
      PlanRow plan,
      long apps,
      long funnels,
      long cohorts,
      String period,
      long monthlyEvents,
      long rejectedEvents,
      BillingStateRow billing) {}

  public Usage usage(TenantId tenant) {
    String period = UsagePeriod.of(clock.instant());
    return jdbi.inTransaction(
        handle -> {
          TenantRow row =
              handle
                  .attach(TenantDao.class)
                  .find(tenant)
                  .orElseThrow(() -> ApiException.notFound("Tenant", tenant));
          UsageDao usage = handle.attach(UsageDao.class);
          BillingStateRow billing = handle.attach(BillingDao.class).find(tenant).orElseThrow();
          return new Usage(
              row.plan(),
              usage.liveApps(tenant),
              usage.liveFunnels(tenant),
              usage.liveCohorts(tenant),
              period,
              usage.accepted(tenant, period).orElse(0L),
              usage.rejected(tenant, period).orElse(0L),
              billing);
        });
  }

  /** When the grace period after a failed payment ends, if one is running. */
  static Instant graceUntil(BillingStateRow billing) {
    return billing.graceUntil() == null ? null : Instant.ofEpochSecond(billing.graceUntil());
  }
}
