package io.tracetics.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FunnelQueryTest {

  @Test
  void aGlobalFilterJoinsEveryStepAndExclusionOnce() {
    PropertyFilter country = PropertyFilter.eq("country", "NO");
    PropertyFilter pro = PropertyFilter.eq("plan", "pro").onUser();
    FunnelQuery q =
        FunnelQuery.builder(1)
            .step("visit")
            .step("signup", country)
            .exclude(new Exclusion("refund", List.of(), 0, 1))
            .globalFilter(country)
            .globalFilter(pro)
            .build();
    FunnelQuery spelled =
        FunnelQuery.builder(1)
            .step("visit", country, pro)
            .step("signup", country, pro)
            .exclude(new Exclusion("refund", List.of(country, pro), 0, 1))
            .build();
    assertEquals(spelled, q);
  }
}
