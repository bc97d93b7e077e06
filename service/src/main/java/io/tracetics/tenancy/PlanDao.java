package io.tracetics.tenancy;

import java.util.Collection;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** Writes the configured plans into {@code plans}, the table tenants' plan codes refer to. */
public interface PlanDao {
  @SqlUpdate(
      """
      INSERT INTO plans (code, name, max_apps, max_funnels, max_cohorts, max_monthly_events,
                         sort_order, available)
      VALUES (:code, :name, :maxApps, :maxFunnels, :maxCohorts, :maxMonthlyEvents, :sortOrder, 1)
      ON DUPLICATE KEY UPDATE name = VALUES(name), max_apps = VALUES(max_apps),
        max_funnels = VALUES(max_funnels), max_cohorts = VALUES(max_cohorts),
        max_monthly_events = VALUES(max_monthly_events),
        sort_order = VALUES(sort_order), available = 1
      """)
  void upsert(@BindMethods PlanRow plan);

  /** Plans no longer configured stay for the tenants on them, but are no longer offered. */
  @SqlUpdate("UPDATE plans SET available = 0 WHERE code NOT IN (<codes>) AND available = 1")
  int retireAllBut(@BindList("codes") Collection<String> codes);

  /** Makes the table hold exactly the catalog's plans as the offered ones. */
  @Transaction
  default void sync(PlanCatalog catalog) {
    catalog.plans().forEach(this::upsert);
    retireAllBut(catalog.codes());
  }
}
