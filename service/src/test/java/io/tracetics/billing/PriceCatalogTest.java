package io.tracetics.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {
  private static final Set<String> PLANS = Set.of("free", "pro", "business");

  @Test
  void configurationWinsThenPriceMetadataThenNothing() {
    Map<String, String> prices = new LinkedHashMap<>();
    prices.put("price_pro_monthly", "pro");
    prices.put("price_pro_yearly", "pro");
    prices.put("price_biz", "business");
    PriceCatalog catalog = new PriceCatalog(prices, PLANS);

    assertEquals(Optional.of("pro"), catalog.planFor("price_pro_yearly", "business"));
    assertEquals(Optional.of("business"), catalog.planFor("price_unlisted", "business"));
    assertEquals(Optional.empty(), catalog.planFor("price_unlisted", "platinum"));
    assertEquals(Optional.empty(), catalog.planFor("price_unlisted", null));
    // Checkout sells the first price listed for a plan.
    assertEquals(Optional.of("price_pro_monthly"), catalog.priceFor("pro"));
    assertEquals(Optional.empty(), catalog.priceFor("free"));
  }

  @Test
  void aPriceMappedToAnUnknownPlanFailsAtStartup() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new PriceCatalog(Map.of("price_x", "platinum"), PLANS));
  }
}
