package io.tracetics.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunnelValidatorTest {
  private final FunnelValidator validator = new FunnelValidator();

  private static FunnelQuery.Builder ok() {
    return FunnelQuery.builder(1).step("a").step("b");
  }

  private List<String> codes(FunnelQuery q) {
    return validator.validate(q).stream().map(Violation::code).toList();
  }

  @Test
  void aPlainFunnelIsValid() {
    assertEquals(List.of(), validator.validate(ok().build()));
  }

  @Test
  void stepCount() {
    assertEquals(
        List.of("step_count_out_of_range"), codes(FunnelQuery.builder(1).step("a").build()));
    FunnelQuery.Builder many = FunnelQuery.builder(1);
    for (int i = 0; i <= FunnelQuery.MAX_STEPS; i++) {
      many.step("e" + i);
    }
    assertEquals(List.of("step_count_out_of_range"), codes(many.build()));
    assertEquals(
        List.of(),
        codes(many.build().toBuilder().steps(many.build().steps().subList(0, 20)).build()));
  }

  @Test
  void window() {
    assertEquals(List.of("window_out_of_range"), codes(ok().window(Duration.ZERO).build()));
    assertEquals(
        List.of("window_out_of_range"), codes(ok().window(Duration.ofSeconds(-5)).build()));
    assertEquals(
        List.of("window_out_of_range"), codes(ok().window(Duration.ofMillis(999)).build()));
    assertEquals(List.of(), codes(ok().window(Duration.ofSeconds(1)).build()));
  }

  @Test
  void stepTimeLimits() {
    FunnelQuery.Builder q = FunnelQuery.builder(1).window(Duration.ofHours(1)).step("a").step("b");
    FunnelStep limited = FunnelStep.of("c").within(Duration.ofMinutes(10));
    assertEquals(List.of(), codes(q.step(limited).build()));
    assertEquals(List.of(), codes(q.order(OrderMode.STRICT).build()));
    assertEquals(List.of("within_needs_order"), codes(q.order(OrderMode.UNORDERED).build()));
    FunnelQuery.Builder first = FunnelQuery.builder(1).step(limited).step("b");
    List<Violation> onFirst = validator.validate(first.build());
    assertEquals(List.of("within_on_first_step"), onFirst.stream().map(Violation::code).toList());
    assertEquals("steps[0].within_seconds", onFirst.get(0).field());
    FunnelQuery.Builder hour = FunnelQuery.builder(1).window(Duration.ofHours(1)).step("a");
    assertEquals(
        List.of(), codes(hour.step(FunnelStep.of("b").within(Duration.ofHours(1))).build()));
    assertEquals(
        List.of("within_exceeds_window"),
        codes(
            FunnelQuery.builder(1)
                .window(Duration.ofHours(1))
                .step("a")
                .step(FunnelStep.of("b").within(Duration.ofSeconds(3601)))
                .build()));
    assertEquals(
        List.of("invalid_within"),
        codes(
            FunnelQuery.builder(1)
                .step("a")
                .step(FunnelStep.of("b").within(Duration.ofMillis(999)))
                .build()));
  }

  @Test
  void eventNames() {
    assertEquals(
        List.of("bad_event_name"), codes(FunnelQuery.builder(1).step(" ").step("b").build()));
    assertEquals(List.of("bad_event_name"), codes(ok().exclude(Exclusion.of("", 0, 1)).build()));
  }

  @Test
  void propertyNames() {
    assertEquals(List.of("bad_property_name"), codes(ok().breakdown(Breakdown.of("")).build()));
    assertEquals(
        List.of("bad_property_name"),
        codes(FunnelQuery.builder(1).step("a", PropertyFilter.eq("a\nb", "x")).step("b").build()));
    assertEquals(List.of("bad_property_name"), codes(ok().holdConstant("x".repeat(200)).build()));
  }

  @Test
  void filterValuesMatchTheOp() {
    List<PropertyFilter> bad =
        List.of(
            new PropertyFilter("p", FilterOp.EQ, List.of()),
            new PropertyFilter("p", FilterOp.EQ, List.of("a", "b")),
            new PropertyFilter("p", FilterOp.GT, List.of("ten")),
            new PropertyFilter("p", FilterOp.IS_SET, List.of("x")),
            new PropertyFilter("p", FilterOp.IN, List.of()));
    for (PropertyFilter f : bad) {
      assertEquals(
          List.of("filter_value_mismatch"),
          codes(FunnelQuery.builder(1).step("a", f).step("b").build()),
          f.toString());
    }
    assertEquals(
        List.of(),
        codes(
            FunnelQuery.builder(1)
                .step("a", PropertyFilter.compare("p", FilterOp.LTE, 2.5))
                .step("b")
                .build()));
  }

  @Test
  void exclusionRange() {
    assertEquals(
        List.of("exclusion_range_invalid"), codes(ok().exclude(Exclusion.of("x", 1, 1)).build()));
    assertEquals(
        List.of("exclusion_range_invalid"), codes(ok().exclude(Exclusion.of("x", 0, 2)).build()));
    assertEquals(
        List.of("exclusion_range_invalid"), codes(ok().exclude(Exclusion.of("x", -1, 1)).build()));
    assertEquals(List.of(), codes(ok().exclude(Exclusion.of("x", 0, 1)).build()));
    assertEquals(
        List.of("exclusions_need_order"),
        codes(ok().order(OrderMode.UNORDERED).exclude(Exclusion.of("x", 0, 1)).build()));
  }

  @Test
  void dateRangeBreakdownHoldAndVariants() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertEquals(List.of("date_range_invalid"), codes(ok().range(t, t).build()));
    assertEquals(
        List.of("breakdown_limit_out_of_range"),
        codes(ok().breakdown(new Breakdown("p", 0)).build()));
    assertEquals(
        List.of("hold_constant_invalid"), codes(ok().holdConstant("a").holdConstant("a").build()));
    FunnelQuery.Builder variants = FunnelQuery.builder(1);
    for (int i = 0; i < 7; i++) {
      variants.step("pv", PropertyFilter.eq("url", "/" + i));
    }
    assertEquals(List.of("too_many_filter_variants"), codes(variants.build()));
  }

  @Test
  void reportsEveryViolationAtOnce() {
    FunnelQuery q =
        FunnelQuery.builder(1)
            .step("")
            .window(Duration.ZERO)
            .exclude(Exclusion.of("x", 3, 1))
            .build();
    List<String> codes = codes(q);
    assertTrue(
        codes.containsAll(
            List.of(
                "step_count_out_of_range",
                "window_out_of_range",
                "bad_event_name",
                "exclusion_range_invalid")),
        codes.toString());
    InvalidFunnelException e =
        assertThrows(InvalidFunnelException.class, () -> validator.requireValid(q));
    assertEquals(codes.size(), e.violations().size());
  }

  @Test
  void codesAreStableSnakeCase() {
    FunnelValidator v = new FunnelValidator();
    assertTrue(v.validate(ok().build()).isEmpty());
    for (String code :
        List.of(
            "step_count_out_of_range",
            "window_out_of_range",
            "bad_event_name",
            "bad_property_name",
            "filter_value_mismatch",
            "too_many_filter_variants",
            "exclusion_range_invalid",
            "exclusions_need_order",
            "date_range_invalid",
            "breakdown_limit_out_of_range",
            "hold_constant_invalid")) {
      assertTrue(code.matches("[a-z]+(_[a-z]+)*"), code);
    }
  }
}
