package io.tracetics.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.engine.exec.ActorKey;
import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.TrendInterval;
import io.tracetics.errors.ApiException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActorRequestTest {
  private static final FunnelQuery PLAIN =
      FunnelQuery.builder(1).step("view").step("cart").step("buy").build();
  private static final FunnelQuery GROUPED =
      FunnelQuery.builder(1)
          .step("view")
          .step("buy")
          .breakdown(new Breakdown("source", 3))
          .trend(TrendInterval.WEEK)
          .build();

  private static ActorRequest query(String step, String status) {
    return ActorRequest.parse(step, status, null, null, null, null, null, null);
  }

  @Test
  void aCellIsAStepAndAStatusWithAnOptionalGroupOrPeriod() {
    assertEquals(ActorCell.reached(2), query("2", null).cell(PLAIN));
    assertEquals(ActorCell.dropped(1), query("1", "DROPPED").cell(PLAIN));
    assertEquals(
        ActorCell.reached(0).in(ActorCell.Group.of("ads")),
        ActorRequest.parse("0", null, "ads", null, null, null, null, null).cell(GROUPED));
    assertEquals(
        ActorCell.reached(0).in(ActorCell.Group.remainder()),
        ActorRequest.parse("0", null, null, "true", null, null, null, null).cell(GROUPED));
    assertEquals(
        ActorCell.reached(0).in(ActorCell.Group.notSet()),
        ActorRequest.parse("0", null, null, "false", "true", null, null, null).cell(GROUPED));
    assertEquals(
        new ActorCell(
            1, ActorCell.Status.REACHED, Optional.empty(), Optional.of(LocalDate.of(2026, 1, 5))),
        ActorRequest.parse("1", null, null, null, null, "2026-01-05", null, null).cell(GROUPED));
  }

  @Test
  void everyProblemOfARequestIsNamedInOne400() {
    List<String> codes =
        codes(() -> ActorRequest.parse("x", null, null, "maybe", null, null, "ten", null));
    assertEquals(List.of("not_an_integer", "not_an_integer", "not_a_boolean"), codes);
    assertEquals(List.of("required"), codes(() -> query(null, null).cell(PLAIN)));
    assertEquals(List.of("invalid_status"), codes(() -> query("1", "left").cell(PLAIN)));
    assertEquals(List.of("step_out_of_range"), codes(() -> query("3", null).cell(PLAIN)));
    assertEquals(List.of("step_out_of_range"), codes(() -> query("-1", null).cell(PLAIN)));
    assertEquals(List.of("dropped_at_first_step"), codes(() -> query("0", "dropped").cell(PLAIN)));
    assertEquals(
        List.of("no_breakdown"),
        codes(
            () -> ActorRequest.parse("0", null, "ads", null, null, null, null, null).cell(PLAIN)));
    assertEquals(
        List.of("no_trend"),
        codes(
            () ->
                ActorRequest.parse("0", null, null, null, null, "2026-01-05", null, null)
                    .cell(PLAIN)));
    assertEquals(
        List.of("period_with_breakdown_value"),
        codes(
            () ->
                ActorRequest.parse("0", null, "ads", null, null, "2026-01-05", null, null)
                    .cell(GROUPED)));
    assertEquals(
        List.of("conflicting_groups"),
        codes(
            () ->
                ActorRequest.parse("0", null, "ads", "true", null, null, null, null)
                    .cell(GROUPED)));
    assertEquals(
        List.of("invalid_period"),
        codes(
            () ->
                ActorRequest.parse("0", null, null, null, null, "last week", null, null)
                    .cell(GROUPED)));
  }

  @Test
  void pagesDefaultTo100ForJsonAndEverythingForDownloads() {
    assertEquals(ActorRequest.DEFAULT_LIMIT, query("0", null).pageSize(false));
    assertEquals(Long.MAX_VALUE, query("0", null).pageSize(true));
    ActorRequest five = ActorRequest.parse("0", null, null, null, null, null, "5", null);
    assertEquals(5, five.pageSize(false));
    assertEquals(5, five.pageSize(true));
    for (String bad : List.of("0", "-3", Long.toString(ActorRequest.MAX_LIMIT + 1))) {
      assertEquals(
          List.of("invalid_limit"),
          codes(
              () ->
                  ActorRequest.parse("0", null, null, null, null, null, bad, null)
                      .pageSize(false)));
    }
  }

  @Test
  void cursorsRoundTripAndAnythingElseIsRefused() {
    ActorKey person = new ActorKey.Person(42);
    assertEquals(person, ActorCursor.decode(ActorCursor.encode(person)));
    for (String value : List.of("", "acme", "z\u00e9 / a1:7", "7")) {
      ActorKey unit = new ActorKey.Unit(value);
      assertEquals(unit, ActorCursor.decode(ActorCursor.encode(unit)));
    }
    FunnelQuery persons = FunnelQuery.builder(1).step("a").step("b").build();
    FunnelQuery units = persons.toBuilder().countBy("account").build();
    assertEquals(Optional.empty(), query("0", null).after(persons));
    String seven = ActorCursor.encode(new ActorKey.Person(7));
    String acme = ActorCursor.encode(new ActorKey.Unit("acme"));
    assertEquals(
        Optional.of(new ActorKey.Person(7)),
        ActorRequest.parse("0", null, null, null, null, null, null, seven).after(persons));
    assertEquals(
        Optional.of(new ActorKey.Unit("acme")),
        ActorRequest.parse("0", null, null, null, null, null, null, acme).after(units));
    // A cursor of the other kind of funnel is refused.
    for (var mismatch : List.of(Map.entry(seven, units), Map.entry(acme, persons))) {
      ActorRequest r =
          ActorRequest.parse("0", null, null, null, null, null, null, mismatch.getKey());
      assertEquals(
          "invalid_cursor",
          assertThrows(ApiException.class, () -> r.after(mismatch.getValue())).error());
    }
    for (String bad : List.of("nope", "%%%", "bTE6Nw", seven + "x", "dTE")) {
      assertEquals(
          "invalid_cursor",
          assertThrows(ApiException.class, () -> ActorCursor.decode(bad)).error(),
          bad);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> codes(Runnable call) {
    ApiException e = assertThrows(ApiException.class, call::run);
    assertEquals(400, e.status());
    return ((List<Map<String, String>>) e.details().get("violations"))
        .stream().map(v -> v.get("code")).toList();
  }
}
