package io.tracetics.engine.query;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One cell of a funnel report, whose people the actors list: a step and whether they reached it or
 * dropped there, optionally in one breakdown group or one trend period.
 *
 * <ul>
 *   <li>{@code reached} at step k: the people counted at step k (their level is above k);
 *   <li>{@code dropped} at step k (k at least 1): reached step k - 1 but not step k (their level is
 *       k), the report's {@code drop_off} of step k;
 *   <li>a breakdown group: the report's group of the same value ({@link Group#of}), the group of
 *       people whose start event has no value ({@link Group#notSet}) or the merged remainder
 *       ({@link Group#remainder});
 *   <li>a trend period (the first day of a day or week, as the report's trend points): the people
 *       with an attempt entering in that period, at the level of their furthest such attempt. Step
 *       0 reached is the point's {@code entered}, the last step reached its {@code completed}.
 * </ul>
 *
 * A value or period that the report does not have is a valid, empty cell.
 */
public record ActorCell(
    int step, Status status, Optional<Group> group, Optional<LocalDate> period) {

  /** Whether the cell holds the people who reached its step or those who dropped there. */
  public enum Status {
    REACHED,
    DROPPED
  }

  /**
   * A breakdown group.
   *
   * @param value the value, null for the group without one or for the remainder
   * @param other true for the remainder beyond the report's top values
   */
  public record Group(String value, boolean other) {
    public static Group of(String value) {
      return new Group(Objects.requireNonNull(value, "value"), false);
    }

    public static Group notSet() {
      return new Group(null, false);
    }

    public static Group remainder() {
      return new Group(null, true);
    }
  }

  public ActorCell {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(period, "period");
  }

  public static ActorCell reached(int step) {
    return new ActorCell(step, Status.REACHED, Optional.empty(), Optional.empty());
  }

  public static ActorCell dropped(int step) {
    return new ActorCell(step, Status.DROPPED, Optional.empty(), Optional.empty());
  }

  public ActorCell in(Group g) {
    return new ActorCell(step, status, Optional.of(g), period);
  }

  public ActorCell during(LocalDate p) {
    return new ActorCell(step, status, group, Optional.of(p));
  }

  /**
   * What makes this cell meaningless for {@code query} (empty when it is fine): a step outside the
   * funnel, {@code dropped} at the first step, a breakdown group without a breakdown, a period
   * without a trend interval, or both a group and a period (trends have no breakdown).
   */
  public List<Violation> check(FunnelQuery query) {
    List<Violation> out = new ArrayList<>();
    int n = query.steps().size();
    if (step < 0 || step >= n) {
      out.add(
          new Violation(
              "step_out_of_range", "step", "step must be 0.." + (n - 1) + " for this funnel"));
    } else if (status == Status.DROPPED && step == 0) {
      out.add(
          new Violation(
              "dropped_at_first_step",
              "status",
              "nobody drops at step 0: dropped means reached the previous step but not this one"));
    }
    if (group.isPresent() && query.breakdown().isEmpty()) {
      out.add(
          new Violation(
              "no_breakdown",
              "breakdown_value",
              "the report has no breakdown: set one (breakdown) to ask for a group"));
    }
    if (period.isPresent() && query.trendInterval().isEmpty()) {
      out.add(
          new Violation(
              "no_trend",
              "period",
              "the report has no trend: set an interval (day or week) to ask for a period"));
    }
    if (group.isPresent() && period.isPresent()) {
      out.add(
          new Violation(
              "period_with_breakdown_value",
              "period",
              "trend points have no breakdown groups: ask for a period or a group, not both"));
    }
    return out;
  }
}
