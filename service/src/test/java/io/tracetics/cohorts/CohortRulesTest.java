package io.tracetics.cohorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.errors.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CohortRulesTest {

  @Test
  void onlyAFunnelCountingPersonsMakesACohort() {
    FunnelQuery persons = FunnelQuery.builder(1).step("a").step("b").build();
    CohortRules.actorsArePersons(3, persons);
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> CohortRules.actorsArePersons(3, persons.toBuilder().countBy("account").build()));
    assertEquals(422, e.status());
    assertEquals("actors_not_persons", e.error());
    assertEquals("account", e.details().get("count_by"));
    assertEquals(3L, e.details().get("funnel_id"));
  }

  @Test
  void membersKeepTheFirstOfEachIdentifierInTheOrderGiven() {
    assertEquals(List.of("b", "a", "c"), CohortRules.members(List.of("b", "a", "b", "c", "a")));
    assertEquals(List.of(), CohortRules.members(List.of()));
  }

  @Test
  void theMaximumIsAllowedAndOneMoreIsRefused() {
    List<String> max = new ArrayList<>();
    for (int i = 0; i < CohortRules.MAX_IDENTIFIERS; i++) {
      max.add("u" + i);
    }
    assertEquals(CohortRules.MAX_IDENTIFIERS, CohortRules.members(max).size());
    max.add("one-more");
    ApiException e = assertThrows(ApiException.class, () -> CohortRules.members(max));
    assertEquals(400, e.status());
    assertEquals("too_many_identifiers", e.error());
    assertEquals(CohortRules.MAX_IDENTIFIERS, e.details().get("max_identifiers"));
    // Repeats count too: the limit is on what the request carries.
    List<String> repeated = Collections.nCopies(CohortRules.MAX_IDENTIFIERS + 1, "same");
    assertEquals(
        "too_many_identifiers",
        assertThrows(ApiException.class, () -> CohortRules.members(repeated)).error());
  }

  @Test
  void emptyNullAndOverLongIdentifiersAreRefusedWithTheirPosition() {
    String longest = "x".repeat(CohortRules.MAX_IDENTIFIER_LENGTH);
    assertEquals(List.of(longest), CohortRules.members(List.of(longest)));
    for (List<String> bad :
        List.of(List.of("a", ""), Arrays.asList("a", null), List.of("a", longest + "x"))) {
      ApiException e = assertThrows(ApiException.class, () -> CohortRules.members(bad));
      assertEquals(400, e.status());
      assertEquals("invalid_identifier", e.error());
      assertEquals(1, e.details().get("index"));
    }
    assertEquals(
        "invalid_cohort",
        assertThrows(ApiException.class, () -> CohortRules.members(null)).error());
  }

  @Test
  void namesAreStrippedAndMustNotBeBlankOrTooLong() {
    assertEquals("Churned", CohortRules.name("  Churned "));
    for (String bad : Arrays.asList(null, "", "   ", "n".repeat(CohortRules.MAX_NAME_LENGTH + 1))) {
      assertEquals(
          "invalid_cohort", assertThrows(ApiException.class, () -> CohortRules.name(bad)).error());
    }
  }

  @Test
  void cursorsRoundTripAndAnythingElseIsA400() {
    assertEquals(0, CohortRules.after(null));
    assertEquals(0, CohortRules.after(""));
    assertEquals(12345, CohortRules.after(CohortRules.cursorAfter(12345)));
    for (String bad : List.of("!!", "bTEyMw==x", "eDEy", "bS0x", "bWFiYw", "12")) {
      ApiException e = assertThrows(ApiException.class, () -> CohortRules.after(bad));
      assertEquals(400, e.status(), bad);
      assertEquals("invalid_parameter", e.error(), bad);
    }
  }

  @Test
  void limitsDefaultAndStayInRange() {
    assertEquals(CohortRules.DEFAULT_PAGE, CohortRules.limit(null));
    assertEquals(1, CohortRules.limit("1"));
    assertEquals(CohortRules.MAX_PAGE, CohortRules.limit(String.valueOf(CohortRules.MAX_PAGE)));
    for (String bad : List.of("0", "-1", "x", String.valueOf(CohortRules.MAX_PAGE + 1), "")) {
      assertEquals(
          "invalid_parameter",
          assertThrows(ApiException.class, () -> CohortRules.limit(bad)).error());
    }
  }

  @Test
  void aCohortHasExactlyOneSourceOfMembers() {
    CohortApi.FromActors cell =
        new CohortApi.FromActors(
            7L, 1, "dropped", null, null, null, null, null, null, null, null, null, null);
    CohortRules.oneSource(new CohortApi.CreateRequest("x", List.of("a"), null));
    CohortRules.oneSource(new CohortApi.CreateRequest("x", null, cell));
    for (CohortApi.CreateRequest bad :
        List.of(
            new CohortApi.CreateRequest("x", null, null),
            new CohortApi.CreateRequest("x", List.of("a"), cell))) {
      assertEquals(
          "invalid_cohort",
          assertThrows(ApiException.class, () -> CohortRules.oneSource(bad)).error());
    }
  }

  @Test
  void aCohortFromActorsHoldsAtMostItsMaximum() {
    CohortRules.fromActorsSize(CohortRules.MAX_FROM_ACTORS);
    ApiException e =
        assertThrows(
            ApiException.class, () -> CohortRules.fromActorsSize(CohortRules.MAX_FROM_ACTORS + 1L));
    assertEquals("cohort_too_large", e.error());
    assertEquals(CohortRules.MAX_FROM_ACTORS + 1L, e.details().get("people"));
  }
}
