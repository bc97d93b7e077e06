package io.tracetics.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCatalogTest {
  @Test
  void theDefaultPlanIsUnlimitedWithoutBillingAndFreeWithIt() {
    assertEquals("unlimited", PlanCatalog.of(PlanConfig.defaults(), "", false).defaultPlan());
    assertEquals("free", PlanCatalog.of(PlanConfig.defaults(), "", true).defaultPlan());
    assertEquals("free", PlanCatalog.of(PlanConfig.defaults(), null, true).defaultPlan());
    assertEquals("pro", PlanCatalog.of(PlanConfig.defaults(), " pro ", false).defaultPlan());
    assertEquals(
        "unlimited", PlanCatalog.of(PlanConfig.defaults(), "unlimited", true).defaultPlan());
  }

  @Test
  void theBuiltInUnlimitedPlanComesLastWithoutLimits() {
    PlanCatalog catalog = PlanCatalog.of(PlanConfig.defaults(), "", false);
    assertEquals(List.of("free", "pro", "business", "unlimited"), catalog.codes());
    PlanRow unlimited = catalog.plans().get(3);
    assertEquals(null, unlimited.maxApps());
    assertEquals(null, unlimited.maxFunnels());
    assertEquals(null, unlimited.maxMonthlyEvents());
    assertEquals("no limits", unlimited.describeLimits());
    PlanRow free = catalog.plans().get(0);
    assertEquals(0, free.sortOrder());
    assertEquals("2 apps, 5 funnels, 5 cohorts, 100,000 events a month", free.describeLimits());
    assertTrue(catalog.offers("business"));
    assertFalse(catalog.offers("enterprise"));
    assertFalse(catalog.managedByStripe());
  }

  @Test
  void configuredPlansReplaceTheDefaultsAndMayLeaveLimitsOut() {
    PlanCatalog catalog =
        PlanCatalog.of(
            List.of(
                new PlanConfig("free", "Community", 1, null, 3, 1000L),
                new PlanConfig("team", "Team", null, 20, null, null)),
            "team",
            false);
    assertEquals(List.of("free", "team", "unlimited"), catalog.codes());
    assertEquals("team", catalog.defaultPlan());
    assertEquals(
        "unlimited apps, 20 funnels, unlimited cohorts, unlimited events a month",
        catalog.plans().get(1).describeLimits());
    assertFalse(catalog.offers("pro"));
  }

  @Test
  void aConfigurationWithoutFreeARedefinedUnlimitedOrAnUnknownDefaultFailsAtStart() {
    IllegalArgumentException noFree =
        assertThrows(
            IllegalArgumentException.class,
            () -> PlanCatalog.of(List.of(new PlanConfig("pro", "Pro", 1, 1, 1, 1L)), "", false));
    assertTrue(noFree.getMessage().contains("'free'"), noFree.getMessage());
    IllegalArgumentException unlimited =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PlanCatalog.of(
                    List.of(
                        new PlanConfig("free", "Free", 1, 1, 1, 1L),
                        new PlanConfig("unlimited", "Mine", 1, 1, 1, 1L)),
                    "",
                    false));
    assertTrue(unlimited.getMessage().contains("built in"), unlimited.getMessage());
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PlanCatalog.of(
                    List.of(
                        new PlanConfig("free", "Free", 1, 1, 1, 1L),
                        new PlanConfig("free", "Free again", 2, 2, 2, 2L)),
                    "",
                    false));
    assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> PlanCatalog.of(PlanConfig.defaults(), "enterprise", false));
    assertTrue(unknown.getMessage().contains("'enterprise'"), unknown.getMessage());
  }

  @Test
  void remainingAndRoomCountNullAsNoLimit() {
    assertEquals(Long.MAX_VALUE, PlanRow.remaining(null, 5_000_000_000L));
    assertEquals(3, PlanRow.remaining(10L, 7));
    assertEquals(0, PlanRow.remaining(10L, 12));
    assertTrue(PlanRow.roomForOneMore(null, Long.MAX_VALUE - 1));
    assertTrue(PlanRow.roomForOneMore(2L, 1));
    assertFalse(PlanRow.roomForOneMore(2L, 2));
  }
}
