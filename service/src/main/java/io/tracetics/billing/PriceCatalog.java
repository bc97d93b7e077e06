package io.tracetics.billing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which plan a Stripe price buys, and which price checkout sells for a plan. The configured map
 * ({@code stripe.prices}) wins; a price missing from it may name its plan in its own metadata
 * ({@code tracetics_plan}). Only known plan codes are accepted.
 */
final class PriceCatalog {
  static final String PRICE_METADATA_KEY = "tracetics_plan";

  private final Map<String, String> planOfPrice;
  private final Map<String, String> priceOfPlan = new LinkedHashMap<>();
  private final Set<String> knownPlans;

  PriceCatalog(Map<String, String> configuredPrices, Set<String> knownPlans) {
    this.planOfPrice = Map.copyOf(configuredPrices);
    this.knownPlans = Set.copyOf(knownPlans);
    configuredPrices.forEach(
        (price, plan) -> {
          if (!knownPlans.contains(plan)) {
            throw new IllegalArgumentException(
                "stripe.prices maps "
                    + price
                    + " to unknown plan '"
                    + plan
                    + "'; known: "
                    + knownPlans);
          }
          priceOfPlan.putIfAbsent(plan, price);
        });
  }

  /** The plan a subscription item's price buys, if the price is known by config or metadata. */
  Optional<String> planFor(String priceId, String priceMetadataPlan) {
    if (priceId != null && planOfPrice.containsKey(priceId)) {
      return Optional.of(planOfPrice.get(priceId));
    }
    if (priceMetadataPlan != null && knownPlans.contains(priceMetadataPlan)) {
      return Optional.of(priceMetadataPlan);
    }
    return Optional.empty();
  }

  /** The price checkout uses for a plan: the first one configured for it. */
  Optional<String> priceFor(String plan) {
    return Optional.ofNullable(priceOfPlan.get(plan));
  }

  Set<String> purchasablePlans() {
    return priceOfPlan.keySet();
  }
}
