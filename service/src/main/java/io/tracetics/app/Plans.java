package io.tracetics.app;

import io.tracetics.tenancy.PlanCatalog;
import io.tracetics.tenancy.PlanDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The plans of this configuration, written to the database (the server and CLI commands). */
public final class Plans {
  private static final Logger LOG = LoggerFactory.getLogger(Plans.class);

  private Plans() {}

  /**
   * Checks the configured plans, writes them to the database and returns them.
   *
   * @throws IllegalArgumentException for a configuration that names no usable plans
   */
  public static PlanCatalog load(TraceticsConfiguration config, Jdbi jdbi) {
    PlanCatalog catalog =
        PlanCatalog.of(
            config.getTenancy().plans,
            config.getTenancy().defaultPlan,
            config.getStripe().webhookEnabled());
    jdbi.useExtension(PlanDao.class, dao -> dao.sync(catalog));
    LOG.info(
        "Plans {}; new tenants start on '{}'; plans are set by {}",
        catalog.codes(),
        catalog.defaultPlan(),
        catalog.managedByStripe() ? "Stripe webhooks" : "the operator (billing off)");
    return catalog;
  }
}
