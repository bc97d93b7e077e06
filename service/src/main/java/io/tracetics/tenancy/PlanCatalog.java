package io.tracetics.tenancy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plans this installation offers and the plan new tenants get: the configured plans plus the
 * built-in {@value #UNLIMITED}. Pure rules, checked at start so a bad configuration fails there.
 */
public final class PlanCatalog {
  /** The built-in plan without any limit; configuration cannot redefine it. */
  public static final String UNLIMITED = "unlimited";

  /**
   * The plan a lapsed subscription falls back to (see {@link TenantDao#EFFECTIVE_PLAN_CODE}), so
   * every configuration defines it.
   */
  public static final String FREE = "free";

  static final int UNLIMITED_SORT_ORDER = 1_000_000;

  private final Map<String, PlanRow> plans;
  private final String defaultPlan;
  private final boolean managedByStripe;

  private PlanCatalog(Map<String, PlanRow> plans, String defaultPlan, boolean managedByStripe) {
    this.plans = plans;
    this.defaultPlan = defaultPlan;
    this.managedByStripe = managedByStripe;
  }

  /**
   * @param configured the plans of {@code tenancy.plans}, in the order they are offered
   * @param defaultPlan {@code tenancy.defaultPlan}; blank: {@value #UNLIMITED} without billing,
   *     {@value #FREE} with it
   * @param managedByStripe whether Stripe webhooks set tenants' plans (then nobody else may)
   * @throws IllegalArgumentException naming what is wrong with the configuration
   */
  public static PlanCatalog of(
      List<PlanConfig> configured, String defaultPlan, boolean managedByStripe) {
    Map<String, PlanRow> plans = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    int order = 0;
    for (PlanConfig plan : configured) {
      if (UNLIMITED.equals(plan.code)) {
        throw new IllegalArgumentException(
            "tenancy.plans: '" + UNLIMITED + "' is built in and cannot be redefined");
      }
      if (!seen.add(plan.code)) {
        throw new IllegalArgumentException("tenancy.plans: plan '" + plan.code + "' is twice");
      }
      plans.put(
          plan.code,
          new PlanRow(
              plan.code,
              plan.name,
              plan.maxApps,
              plan.maxFunnels,
              plan.maxCohorts,
              plan.maxMonthlyEvents,
              order++,
              true));
    }
    if (!plans.containsKey(FREE)) {
      throw new IllegalArgumentException(
          "tenancy.plans must define '"
              + FREE
              + "': a tenant whose subscription lapses falls back to it");
    }
    plans.put(
        UNLIMITED,
        new PlanRow(UNLIMITED, "Unlimited", null, null, null, null, UNLIMITED_SORT_ORDER, true));
    String chosen =
        defaultPlan == null || defaultPlan.isBlank()
            ? (managedByStripe ? FREE : UNLIMITED)
            : defaultPlan.strip();
    if (!plans.containsKey(chosen)) {
      throw new IllegalArgumentException(
          "tenancy.defaultPlan '" + chosen + "' is not a plan; plans: " + plans.keySet());
    }
    return new PlanCatalog(plans, chosen, managedByStripe);
  }

  /** Every offered plan, the built-in one last. */
  public List<PlanRow> plans() {
    return new ArrayList<>(plans.values());
  }

  public List<String> codes() {
    return List.copyOf(plans.keySet());
  }

  public boolean offers(String code) {
    return plans.containsKey(code);
  }

  /** The plan new tenants start on. */
  public String defaultPlan() {
    return defaultPlan;
  }

  /** Whether Stripe sets tenants' plans, so the operator may not. */
  public boolean managedByStripe() {
    return managedByStripe;
  }
}
