package io.tracetics.actors;

import io.tracetics.engine.exec.ActorKey;
import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.Violation;
import io.tracetics.errors.ApiException;
import io.tracetics.funnels.FunnelQueries;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which people of a report an actors call asks for, as the client wrote it (query parameters of the
 * saved funnel's call, fields of the unsaved definition's body): the cell ({@code step}, {@code
 * status}, a breakdown group, a trend period) and the page ({@code limit}, {@code cursor}). {@link
 * #cell} and {@link #pageSize} turn it into the engine's terms or a 400 naming every problem.
 *
 * @param step the 0-based step, required
 * @param status {@code reached} (default) or {@code dropped}
 * @param breakdownValue a breakdown group's value
 * @param breakdownOther true for the group merging the values beyond the top ones
 * @param breakdownNotSet true for the group whose start event has no value
 * @param period a trend point's period ({@code YYYY-MM-DD}, its first day)
 * @param limit people per page; absent: {@link #DEFAULT_LIMIT} for JSON, the whole list for CSV and
 *     Arrow
 * @param cursor a previous page's {@code next_cursor}
 */
public record ActorRequest(
    Integer step,
    String status,
    String breakdownValue,
    Boolean breakdownOther,
    Boolean breakdownNotSet,
    String period,
    Long limit,
    String cursor) {

  /**
   * A request from query parameters, as text.
   *
   * @throws ApiException 400 when {@code step} or {@code limit} is not an integer or a flag not
   *     {@code true}/{@code false}
   */
  public static ActorRequest parse(
      String step,
      String status,
      String breakdownValue,
      String breakdownOther,
      String breakdownNotSet,
      String period,
      String limit,
      String cursor) {
    List<Violation> problems = new ArrayList<>();
    Long stepNumber = integer("step", step, problems);
    Long limitNumber = integer("limit", limit, problems);
    Boolean other = flag("breakdown_other", breakdownOther, problems);
    Boolean notSet = flag("breakdown_not_set", breakdownNotSet, problems);
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    Integer stepValue = null;
    if (stepNumber != null) {
      stepValue = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, stepNumber));
    }
    return new ActorRequest(
        stepValue, status, breakdownValue, other, notSet, period, limitNumber, cursor);
  }

  private static Long integer(String field, String text, List<Violation> problems) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      problems.add(new Violation("not_an_integer", field, field + " must be an integer"));
      return null;
    }
  }

  private static Boolean flag(String field, String text, List<Violation> problems) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problems.add(new Violation("not_a_boolean", field, field + " must be true or false"));
        yield null;
      }
    };
  }

  /** People per JSON page when the call does not say. */
  public static final long DEFAULT_LIMIT = 100;

  /** The largest {@code limit} (a page streams, so this only bounds one call's duration). */
  public static final long MAX_LIMIT = 1_000_000;

  /**
   * The cell of {@code query}'s report this request names.
   *
   * @throws ApiException 400 {@code invalid_actors_request} listing every problem
   */
  public ActorCell cell(FunnelQuery query) {
    List<Violation> problems = new ArrayList<>();
    if (step == null) {
      problems.add(new Violation("required", "step", "step is required (0-based)"));
    }
    ActorCell.Status s = ActorCell.Status.REACHED;
    if (status != null) {
      switch (status.toLowerCase(Locale.ROOT)) {
        case "reached" -> s = ActorCell.Status.REACHED;
        case "dropped" -> s = ActorCell.Status.DROPPED;
        default ->
            problems.add(
                new Violation("invalid_status", "status", "status must be reached or dropped"));
      }
    }
    int groups =
        (breakdownValue != null ? 1 : 0)
            + (Boolean.TRUE.equals(breakdownOther) ? 1 : 0)
            + (Boolean.TRUE.equals(breakdownNotSet) ? 1 : 0);
    if (groups > 1) {
      problems.add(
          new Violation(
              "conflicting_groups",
              "breakdown_value",
              "name one group: breakdown_value, breakdown_other or breakdown_not_set"));
    }
    Optional<LocalDate> day = Optional.empty();
    if (period != null) {
      try {
        day = Optional.of(LocalDate.parse(period));
      } catch (DateTimeParseException e) {
        problems.add(
            new Violation(
                "invalid_period", "period", "period must be a date (YYYY-MM-DD), as in trends"));
      }
    }
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    ActorCell cell = new ActorCell(step, s, Optional.empty(), day);
    if (breakdownValue != null) {
      cell = cell.in(ActorCell.Group.of(breakdownValue));
    } else if (Boolean.TRUE.equals(breakdownOther)) {
      cell = cell.in(ActorCell.Group.remainder());
    } else if (Boolean.TRUE.equals(breakdownNotSet)) {
      cell = cell.in(ActorCell.Group.notSet());
    }
    problems.addAll(cell.check(query));
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    return cell;
  }

  /**
   * People per page: {@code limit}, else {@link #DEFAULT_LIMIT} for a JSON answer and all of them
   * ({@link Long#MAX_VALUE}) for a download.
   *
   * @throws ApiException 400 when {@code limit} is outside 1..{@link #MAX_LIMIT}
   */
  public long pageSize(boolean download) {
    if (limit == null) {
      return download ? Long.MAX_VALUE : DEFAULT_LIMIT;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw invalid(
          List.of(new Violation("invalid_limit", "limit", "limit must be 1.." + MAX_LIMIT)));
    }
    return limit;
  }

  /**
   * The actor to continue after ({@code cursor}), or empty to start with the first: a person key,
   * or a unit value when {@code query} counts units.
   *
   * @throws ApiException 400 {@code invalid_cursor} when the cursor is not one this service wrote
   *     for a funnel that counts what {@code query} counts
   */
  public Optional<ActorKey> after(FunnelQuery query) {
    if (cursor == null || cursor.isEmpty()) {
      return Optional.empty();
    }
    ActorKey key = ActorCursor.decode(cursor);
    if ((key instanceof ActorKey.Unit) != query.countsUnits()) {
      throw ActorCursor.invalid();
    }
    return Optional.of(key);
  }

  private static ApiException invalid(List<Violation> problems) {
    return FunnelQueries.invalid(400, "invalid_actors_request", problems);
  }
}
