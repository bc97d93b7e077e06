package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.ingest.Admission.Decision;
import io.tracetics.ingest.Admission.Outcome;
import io.tracetics.ingest.Admission.Request;
import io.tracetics.ingest.Admission.TenantMonth;
import io.tracetics.ingest.Admission.UsageDelta;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final long T1 = 1;
  private static final long T2 = 2;
  private static final long APP_A = 10; // of T1
  private static final long APP_B = 11; // of T1
  private static final long APP_C = 20; // of T2

  private static Request request(long tenant, long app, String... ids) {
    return new Request(tenant, app, Arrays.asList(ids));
  }

  private static Outcome outcome(
      List<Integer> stored, int duplicates, List<Integer> refused, long used) {
    return new Outcome(stored, duplicates, refused, used);
  }

  @Test
  void storesEverythingWithRoomAndNoDuplicates() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(5, 100L)),
            Map.of(),
            List.of(request(T1, APP_A, "a", "b"), request(T1, APP_A, "c")));

    assertEquals(
        List.of(outcome(List.of(0, 1), 0, List.of(), 8), outcome(List.of(0), 0, List.of(), 8)),
        decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(3, 0)), decision.usage());
  }

  @Test
  void idsStoredBeforeAreDuplicatesAndUseNoQuota() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(0, 1L)),
            Map.of(APP_A, Set.of("old")),
            List.of(request(T1, APP_A, "old", "new")));

    assertEquals(List.of(outcome(List.of(1), 1, List.of(), 1)), decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(1, 0)), decision.usage());
  }

  @Test
  void repeatsInsideTheGroupAreDuplicatesWithinAndAcrossRequests() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(0, null)),
            Map.of(),
            List.of(request(T1, APP_A, "x", "x", "y"), request(T1, APP_A, "y", "z", "x")));

    assertEquals(
        List.of(outcome(List.of(0, 2), 1, List.of(), 3), outcome(List.of(1), 2, List.of(), 3)),
        decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(3, 0)), decision.usage());
  }

  @Test
  void theSameIdInAnotherAppIsNotADuplicate() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(0, null)),
            Map.of(APP_A, Set.of("x")),
            List.of(request(T1, APP_B, "x"), request(T1, APP_A, "x"), request(T1, APP_B, "x")));

    assertEquals(
        List.of(
            outcome(List.of(0), 0, List.of(), 1),
            outcome(List.of(), 1, List.of(), 1),
            outcome(List.of(), 1, List.of(), 1)),
        decision.outcomes());
  }

  @Test
  void eventsWithoutIdsAreNeverDuplicates() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(0, null)),
            Map.of(APP_A, Set.of("x")),
            List.of(request(T1, APP_A, null, null), request(T1, APP_A, (String) null)));

    assertEquals(
        List.of(outcome(List.of(0, 1), 0, List.of(), 3), outcome(List.of(0), 0, List.of(), 3)),
        decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(3, 0)), decision.usage());
  }

  @Test
  void quotaBoundaryIsExact() {
    // 8 of 10 used: exactly two more fit, the third and later are refused.
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(8, 10L)),
            Map.of(),
            List.of(request(T1, APP_A, "a", "b", "c"), request(T1, APP_A, "d")));

    assertEquals(
        List.of(outcome(List.of(0, 1), 0, List.of(2), 10), outcome(List.of(), 0, List.of(0), 10)),
        decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(2, 2)), decision.usage());
  }

  @Test
  void exactlyUsedUpRefusesEverythingNewButStillAnswersDuplicates() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(10, 10L)),
            Map.of(APP_A, Set.of("old")),
            List.of(request(T1, APP_A, "old", "new", null)));

    assertEquals(List.of(outcome(List.of(), 1, List.of(1, 2), 10)), decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(0, 2)), decision.usage());
  }

  @Test
  void overUsedMonthHasNoRoom() {
    // A downgrade can leave more accepted than the new plan allows.
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(50, 10L)), Map.of(), List.of(request(T1, APP_A, "a")));

    assertEquals(List.of(outcome(List.of(), 0, List.of(0), 50)), decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(0, 1)), decision.usage());
  }

  @Test
  void aRefusedEventDoesNotMakeItsRepeatADuplicate() {
    // The refused "a" was not stored, so a second "a" is refused too rather than a duplicate.
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(1, 1L)),
            Map.of(),
            List.of(request(T1, APP_A, "a"), request(T1, APP_A, "a")));

    assertEquals(
        List.of(outcome(List.of(), 0, List.of(0), 1), outcome(List.of(), 0, List.of(0), 1)),
        decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(0, 2)), decision.usage());
  }

  @Test
  void zeroLimitRefusesEverything() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(0, 0L)), Map.of(), List.of(request(T1, APP_A, "a", null)));

    assertEquals(List.of(outcome(List.of(), 0, List.of(0, 1), 0)), decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(0, 2)), decision.usage());
  }

  @Test
  void unlimitedPlanStoresEverythingNew() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(Long.MAX_VALUE / 2, null)),
            Map.of(),
            List.of(request(T1, APP_A, "a", "b", null)));

    assertEquals(
        List.of(outcome(List.of(0, 1, 2), 0, List.of(), Long.MAX_VALUE / 2 + 3)),
        decision.outcomes());
  }

  @Test
  void tenantsAndAppsInOneGroupAreDecidedEachOnTheirOwn() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(9, 10L), T2, new TenantMonth(0, null)),
            Map.of(APP_B, Set.of("b1"), APP_C, Set.of("c1")),
            List.of(
                request(T1, APP_A, "a1", "a2"), // one fits, a2 refused
                request(T2, APP_C, "c1", "c2", "a1"), // c1 stored before; a1 is another app's id
                request(T1, APP_B, "b1", "b2"), // b1 duplicate, b2 refused (T1 is full)
                request(T2, APP_C, "c2"))); // repeats c2 of the second request

    assertEquals(
        List.of(
            outcome(List.of(0), 0, List.of(1), 10),
            outcome(List.of(1, 2), 1, List.of(), 2),
            outcome(List.of(), 1, List.of(1), 10),
            outcome(List.of(), 1, List.of(), 2)),
        decision.outcomes());
    assertEquals(Map.of(T1, new UsageDelta(1, 2), T2, new UsageDelta(2, 0)), decision.usage());
    assertEquals(List.of(T1, T2), List.copyOf(decision.usage().keySet()), "tenant order");
  }

  @Test
  void tenantsWithOnlyDuplicatesGetNoUsageChange() {
    Decision decision =
        Admission.decide(
            Map.of(T1, new TenantMonth(3, 10L), T2, new TenantMonth(0, 5L)),
            Map.of(APP_A, Set.of("a")),
            List.of(request(T1, APP_A, "a"), request(T2, APP_C, "c")));

    assertEquals(Map.of(T2, new UsageDelta(1, 0)), decision.usage());
    assertEquals(
        List.of(outcome(List.of(), 1, List.of(), 3), outcome(List.of(0), 0, List.of(), 1)),
        decision.outcomes());
  }

  @Test
  void aTenantWithoutItsMonthIsAMistake() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Admission.decide(Map.of(), Map.of(), List.of(request(T1, APP_A, "a"))));
  }
}
