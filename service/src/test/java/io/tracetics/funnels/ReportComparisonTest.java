package io.tracetics.funnels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.stats.BenjaminiHochberg;
import io.tracetics.stats.ProportionComparison;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ReportComparison.Range WEEK =
      new ReportComparison.Range(
          Instant.parse("2026-01-08T00:00:00Z"), Instant.parse("2026-01-15T00:00:00Z"));

  @Test
  void thePreviousRangeHasTheSameLengthAndEndsWhereTheRangeStarts() {
    assertEquals(
        new ReportComparison.Range(
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-08T00:00:00Z")),
        WEEK.previous());
    ReportComparison.Range hours =
        new ReportComparison.Range(
            Instant.parse("2026-03-01T10:30:00Z"), Instant.parse("2026-03-01T13:00:00Z"));
    assertEquals(
        new ReportComparison.Range(
            Instant.parse("2026-03-01T08:00:00Z"), Instant.parse("2026-03-01T10:30:00Z")),
        hours.previous());
  }

  @Test
  void eachStepIsComparedWithThePreviousPeriod() {
    ObjectNode previous = report(List.of(200L, 60L, 1L, 1L));
    ObjectNode compared =
        ReportComparison.compare(report(List.of(200L, 100L, 4L, 4L)), previous, WEEK);

    JsonNode first = compared.get("steps").get(0).get("comparison");
    assertEquals(200, first.get("previous_users").asLong());
    assertEquals(1.0, first.get("conversion_from_first").asDouble());
    assertEquals(1.0, first.get("previous_conversion_from_first").asDouble());
    assertEquals(0.0, first.get("difference").asDouble());
    assertTrue(first.get("significance").isNull(), "the first step is 1 by definition");

    // 100 of 200 against 60 of 200: every expected cell is large, the z-test.
    JsonNode second = compared.get("steps").get(1).get("comparison");
    assertEquals(60, second.get("previous_users").asLong());
    assertEquals(0.5, second.get("conversion_from_first").asDouble(), 1e-12);
    assertEquals(0.3, second.get("previous_conversion_from_first").asDouble(), 1e-12);
    assertEquals(0.2, second.get("difference").asDouble(), 1e-12);
    assertEquals("z_test", second.get("significance").get("method").asText());
    assertEquals(
        ProportionComparison.zTest(100, 200, 60, 200),
        second.get("significance").get("p_value").asDouble());
    assertTrue(second.get("significance").get("p_value").asDouble() < 0.001);
    assertEquals(List.of("p_value", "method"), names(second.get("significance")));

    // 4 of 200 against 1 of 200: 2.5 expected, Fisher's exact test.
    JsonNode third = compared.get("steps").get(2).get("comparison");
    assertEquals("fisher_exact", third.get("significance").get("method").asText());
    assertEquals(
        ProportionComparison.fisherExact(4, 200, 1, 200),
        third.get("significance").get("p_value").asDouble(),
        1e-15);
    assertEquals(0.015, third.get("difference").asDouble(), 1e-12);

    // The previous report whole, and the two ranges.
    assertSame(previous, compared.get("previous"));
    JsonNode compare = compared.get("compare");
    assertEquals("previous", compare.get("with").asText());
    assertEquals("2026-01-08T00:00:00Z", compare.get("from").asText());
    assertEquals("2026-01-15T00:00:00Z", compare.get("to").asText());
    assertEquals("2026-01-01T00:00:00Z", compare.get("previous_from").asText());
    assertEquals("2026-01-08T00:00:00Z", compare.get("previous_to").asText());
  }

  @Test
  void fewerThanThirtyEntrantsInEitherPeriodIsNotTested() {
    ObjectNode compared =
        ReportComparison.compare(report(List.of(29L, 20L)), report(List.of(500L, 100L)), WEEK);
    JsonNode significance = compared.get("steps").get(1).get("comparison").get("significance");
    assertEquals("insufficient_sample", significance.get("method").asText());
    assertTrue(significance.get("p_value").isNull());
  }

  @Test
  void aPeriodWithoutEntrantsConvertsNobody() {
    ObjectNode compared =
        ReportComparison.compare(report(List.of(50L, 20L)), report(List.of(0L, 0L)), WEEK);
    JsonNode second = compared.get("steps").get(1).get("comparison");
    assertEquals(0.0, second.get("previous_conversion_from_first").asDouble());
    assertEquals(0.4, second.get("difference").asDouble(), 1e-12);
    assertEquals("insufficient_sample", second.get("significance").get("method").asText());
  }

  @Test
  void identicalPeriodsDoNotDiffer() {
    ObjectNode compared =
        ReportComparison.compare(
            report(List.of(300L, 120L, 30L)), report(List.of(300L, 120L, 30L)), WEEK);
    for (int k = 1; k < 3; k++) {
      JsonNode comparison = compared.get("steps").get(k).get("comparison");
      assertEquals(0.0, comparison.get("difference").asDouble());
      assertEquals(1.0, comparison.get("significance").get("p_value").asDouble(), 1e-12);
    }
  }

  @Test
  void breakdownGroupsAreComparedWithTheRestAndAdjustedTogether() {
    // Totals 400 -> 150 -> 40; groups ads (200 -> 100 -> 30), seo (180 -> 45 -> 9), null (20 -> 5
    // -> 1): they add up to the totals, as the engine's groups do.
    ObjectNode current = report(List.of(400L, 150L, 40L));
    ArrayNode groups = current.putArray("breakdowns");
    group(groups, "ads", false, List.of(200L, 100L, 30L));
    group(groups, "seo", false, List.of(180L, 45L, 9L));
    group(groups, null, false, List.of(20L, 5L, 1L));
    ObjectNode compared = ReportComparison.compare(current, report(List.of(10L, 1L, 0L)), WEEK);

    JsonNode ads = compared.get("breakdowns").get(0).get("steps");
    JsonNode seo = compared.get("breakdowns").get(1).get("steps");
    JsonNode unset = compared.get("breakdowns").get(2).get("steps");
    JsonNode adsFirst = ads.get(0).get("comparison");
    assertEquals(200, adsFirst.get("rest_users").asLong());
    assertTrue(adsFirst.get("significance").isNull());

    for (int k = 1; k < 3; k++) {
      long total = List.of(400L, 150L, 40L).get(k);
      JsonNode a = ads.get(k).get("comparison");
      JsonNode s = seo.get(k).get("comparison");
      long adsUsers = ads.get(k).get("users").asLong();
      long seoUsers = seo.get(k).get("users").asLong();
      assertEquals(total - adsUsers, a.get("rest_users").asLong());
      assertEquals((double) adsUsers / 200, a.get("conversion_from_first").asDouble(), 1e-12);
      assertEquals(
          (double) (total - adsUsers) / 200, a.get("rest_conversion_from_first").asDouble(), 1e-12);
      ProportionComparison.Result adsTest =
          ProportionComparison.compare(adsUsers, 200, total - adsUsers, 200);
      ProportionComparison.Result seoTest =
          ProportionComparison.compare(seoUsers, 180, total - seoUsers, 220);
      assertEquals(adsTest.method().wireName(), a.get("significance").get("method").asText());
      assertEquals(
          adsTest.pValue().getAsDouble(), a.get("significance").get("p_value").asDouble(), 1e-15);
      double[] adjusted =
          BenjaminiHochberg.adjust(adsTest.pValue().getAsDouble(), seoTest.pValue().getAsDouble());
      assertEquals(adjusted[0], a.get("significance").get("adjusted_p_value").asDouble(), 1e-15);
      assertEquals(adjusted[1], s.get("significance").get("adjusted_p_value").asDouble(), 1e-15);
      assertEquals(List.of("p_value", "adjusted_p_value", "method"), names(a.get("significance")));
      // 20 entrants: not tested, and not in the family.
      JsonNode small = unset.get(k).get("comparison").get("significance");
      assertEquals("insufficient_sample", small.get("method").asText());
      assertTrue(small.get("p_value").isNull());
      assertTrue(small.get("adjusted_p_value").isNull());
    }
    // ads converts at 50% against seo and the rest's 25%: significant even adjusted.
    assertTrue(
        ads.get(1).get("comparison").get("significance").get("adjusted_p_value").asDouble()
            < 0.001);
    // The previous period's report has no comparisons of its own.
    assertTrue(compared.get("previous").get("steps").get(1).get("comparison") == null);
  }

  @Test
  void reportsOfDifferentStepsAreRefused() {
    assertThrows(
        IllegalStateException.class,
        () -> ReportComparison.compare(report(List.of(1L, 1L)), report(List.of(1L)), WEEK));
  }

  private static ObjectNode report(List<Long> users) {
    ObjectNode report = JSON.createObjectNode();
    report.set("steps", steps(users));
    report.putArray("breakdowns");
    report.putArray("trends");
    return report;
  }

  private static void group(ArrayNode groups, String value, boolean other, List<Long> users) {
    ObjectNode g = groups.addObject();
    g.put("value", value);
    g.put("other", other);
    g.set("steps", steps(users));
  }

  private static ArrayNode steps(List<Long> users) {
    ArrayNode steps = JSON.createArrayNode();
    for (int k = 0; k < users.size(); k++) {
      ObjectNode step = steps.addObject();
      step.put("index", k);
      step.put("event_name", "e" + k);
      step.put("users", users.get(k));
    }
    return steps;
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
