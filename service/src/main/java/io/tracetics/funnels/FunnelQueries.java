package io.tracetics.funnels;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.engine.query.Breakdown;
import io.tracetics.engine.query.CohortRestriction;
import io.tracetics.engine.query.EventMatch;
import io.tracetics.engine.query.Exclusion;
import io.tracetics.engine.query.FilterOp;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelStep;
import io.tracetics.engine.query.FunnelValidator;
import io.tracetics.engine.query.OrderMode;
import io.tracetics.engine.query.PropertyFilter;
import io.tracetics.engine.query.PropertySource;
import io.tracetics.engine.query.TrendInterval;
import io.tracetics.engine.query.Violation;
import io.tracetics.errors.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns an API funnel definition (plus report parameters) into the engine's {@link FunnelQuery} and
 * validates it with the engine's rules. Every problem is reported at once as a 422 {@code
 * invalid_funnel} with one entry per problem.
 */
public final class FunnelQueries {
  private static final FunnelValidator VALIDATOR = new FunnelValidator();

  private FunnelQueries() {}

  public static FunnelQuery toQuery(long appId, FunnelApi.Definition def, ReportParams params) {
    List<Violation> problems = new ArrayList<>();
    FunnelQuery.Builder builder = FunnelQuery.builder(appId);
    if (def.steps() != null) {
      for (int i = 0; i < def.steps().size(); i++) {
        FunnelStep step = step(def.steps().get(i), i, problems);
        if (step != null) {
          builder.step(step);
        }
      }
    }
    if (def.countBy() != null) {
      if (def.countBy().property() == null) {
        problems.add(
            new Violation(
                "count_by_needs_property",
                "count_by.property",
                "count_by names the metadata property whose values are counted"));
      } else {
        builder.countBy(def.countBy().property());
      }
    }
    for (PropertyFilter global : filters(def.globalFilters(), "global_filters", problems)) {
      builder.globalFilter(global);
    }
    if (def.windowSeconds() != null) {
      builder.window(Duration.ofSeconds(def.windowSeconds()));
    }
    String order = params.mode() != null ? params.mode() : def.order();
    if (order != null) {
      try {
        builder.order(OrderMode.valueOf(order.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add(
            new Violation("invalid_order", "order", "order must be ordered, strict or unordered"));
      }
    }
    String fromText = params.from() != null ? params.from() : def.from();
    String toText = params.to() != null ? params.to() : def.to();
    Instant from = instant(fromText, "from", problems);
    Instant to = instant(toText, "to", problems);
    if (from != null || to != null) {
      builder.range(from == null ? Instant.EPOCH : from, to == null ? farFuture() : to);
    }
    compare(params.compare(), given(fromText) && given(toText), problems);
    if (def.exclusions() != null) {
      for (int i = 0; i < def.exclusions().size(); i++) {
        FunnelApi.Exclusion ex = def.exclusions().get(i);
        builder.exclude(
            new Exclusion(
                ex.eventName(),
                filters(ex.filters(), "exclusions[" + i + "].filters", problems),
                ex.fromStep(),
                ex.toStep()));
      }
    }
    if (def.holdConstant() != null) {
      def.holdConstant().forEach(builder::holdConstant);
    }
    String breakdown = params.breakdown() != null ? params.breakdown() : def.breakdown();
    String breakdownSource =
        params.breakdownSource() != null ? params.breakdownSource() : def.breakdownSource();
    if (breakdown != null && !breakdown.isEmpty()) {
      builder.breakdown(
          new Breakdown(
              breakdown,
              def.breakdownLimit() == null ? Breakdown.DEFAULT_LIMIT : def.breakdownLimit(),
              source(breakdownSource, "breakdown_source", problems)));
    }
    String interval = params.interval() != null ? params.interval() : def.interval();
    if (interval != null && !interval.isEmpty()) {
      try {
        builder.trend(TrendInterval.valueOf(interval.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add(new Violation("invalid_interval", "interval", "interval must be day or week"));
      }
    }
    if (def.cohorts() != null) {
      builder.cohorts(cohorts(def.cohorts(), problems));
    }
    FunnelQuery query = null;
    if (problems.isEmpty()) {
      try {
        query = builder.build();
        problems.addAll(VALIDATOR.validate(query));
      } catch (IllegalArgumentException | NullPointerException e) {
        problems.add(new Violation("invalid_funnel", "funnel", e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    return query;
  }

  /**
   * One step: {@code event_name} with its filters, or {@code any_of} (never both, never neither);
   * null when it is neither (the violation is added).
   */
  private static FunnelStep step(FunnelApi.Step step, int i, List<Violation> problems) {
    String at = "steps[" + i + "]";
    List<EventMatch> alternatives = new ArrayList<>();
    if (step.anyOf() != null) {
      if (step.eventName() != null || step.filters() != null) {
        problems.add(
            new Violation(
                "step_event_conflict",
                at,
                "a step has either event_name (with filters) or any_of (each alternative with its"
                    + " own filters), not both"));
        return null;
      }
      if (step.anyOf().isEmpty()) {
        problems.add(
            new Violation(
                "empty_any_of", at + ".any_of", "any_of needs at least one event to match"));
        return null;
      }
      for (int j = 0; j < step.anyOf().size(); j++) {
        FunnelApi.Alternative a = step.anyOf().get(j);
        String field = at + ".any_of[" + j + "]";
        alternatives.add(
            new EventMatch(a.eventName(), filters(a.filters(), field + ".filters", problems)));
      }
    } else if (step.eventName() == null) {
      problems.add(
          new Violation(
              "missing_event_name", at + ".event_name", "a step needs event_name or any_of"));
      return null;
    } else {
      alternatives.add(
          new EventMatch(step.eventName(), filters(step.filters(), at + ".filters", problems)));
    }
    return new FunnelStep(
        alternatives,
        Optional.ofNullable(step.name()),
        Optional.ofNullable(step.withinSeconds()).map(Duration::ofSeconds));
  }

  /**
   * The report's {@code compare}: absent, or {@code previous} with both ends of the entry range
   * given (the previous period has the range's length, so an open range has none).
   */
  private static void compare(String compare, boolean bothEnds, List<Violation> problems) {
    if (compare == null) {
      return;
    }
    if (!ReportParams.COMPARE_PREVIOUS.equals(compare)) {
      problems.add(
          new Violation(
              "invalid_compare",
              "compare",
              "compare must be previous (the range of the same length just before from)"));
    } else if (!bothEnds) {
      problems.add(
          new Violation(
              "compare_needs_range",
              "compare",
              "compare=previous needs both from and to (report parameters or the funnel's own):"
                  + " the previous period is the range of the same length ending at from"));
    }
  }

  /** The restriction; a cohort id that cannot be one (not positive) is a violation. */
  private static CohortRestriction cohorts(FunnelApi.Cohorts cohorts, List<Violation> problems) {
    Set<Long> include = ids(cohorts.include(), "cohorts.include", problems);
    Set<Long> exclude = ids(cohorts.exclude(), "cohorts.exclude", problems);
    return new CohortRestriction(include, exclude);
  }

  private static Set<Long> ids(List<Long> ids, String field, List<Violation> problems) {
    Set<Long> result = new TreeSet<>();
    for (int i = 0; ids != null && i < ids.size(); i++) {
      Long id = ids.get(i);
      if (id == null || id <= 0) {
        problems.add(
            new Violation("unknown_cohort", field + "[" + i + "]", "a cohort id is positive"));
      } else {
        result.add(id);
      }
    }
    return result;
  }

  static ApiException invalid(List<Violation> problems) {
    return invalid(422, "invalid_funnel", problems);
  }

  /**
   * The error for a request with {@code problems} (at least one): every one of them under {@code
   * violations} ({@code code}, {@code field}, {@code message}), the first in the message.
   */
  public static ApiException invalid(int status, String error, List<Violation> problems) {
    List<Map<String, String>> violations = new ArrayList<>();
    for (Violation v : problems) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("code", v.code());
      entry.put("field", v.field());
      entry.put("message", v.message());
      violations.add(entry);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("violations", violations);
    String message =
        problems.get(0).field()
            + ": "
            + problems.get(0).message()
            + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
    return new ApiException(status, error, message, details);
  }

  private static List<PropertyFilter> filters(
      List<FunnelApi.Filter> filters, String at, List<Violation> problems) {
    List<PropertyFilter> result = new ArrayList<>();
    if (filters == null) {
      return result;
    }
    for (int i = 0; i < filters.size(); i++) {
      FunnelApi.Filter f = filters.get(i);
      String field = at + "[" + i + "]";
      FilterOp op;
      try {
        op = FilterOp.fromWireName(f.op());
      } catch (IllegalArgumentException e) {
        problems.add(
            new Violation(
                "invalid_filter_op",
                field + ".op",
                "op must be one of eq, neq, in, contains, gt, gte, lt, lte, is_set, is_not_set"));
        continue;
      }
      List<String> values = new ArrayList<>();
      JsonNode value = f.value();
      if (value != null && !value.isNull()) {
        if (value.isArray()) {
          value.forEach(v -> values.add(text(v, field, problems)));
        } else {
          values.add(text(value, field, problems));
        }
      }
      result.add(
          new PropertyFilter(
              f.property(), op, values, source(f.source(), field + ".source", problems)));
    }
    return result;
  }

  /** A property source by its API name ({@code event} when absent). */
  private static PropertySource source(String wire, String field, List<Violation> problems) {
    if (wire == null) {
      return PropertySource.EVENT;
    }
    PropertySource source = PropertySource.fromWire(wire);
    if (source == null) {
      problems.add(
          new Violation(
              "invalid_source",
              field,
              "source must be event (the event's metadata) or user (the person's traits)"));
      return PropertySource.EVENT;
    }
    return source;
  }

  /**
   * A filter value as the JSON text the engine compares (a string's content, a number's digits).
   */
  private static String text(JsonNode value, String field, List<Violation> problems) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.toString();
    }
    problems.add(
        new Violation(
            "invalid_filter_value", field + ".value", "value must be a string, number or boolean"));
    return "";
  }

  private static boolean given(String text) {
    return text != null && !text.isEmpty();
  }

  private static Instant instant(String text, String field, List<Violation> problems) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        problems.add(
            new Violation(
                "invalid_date",
                field,
                field + " must be ISO-8601 with an offset (2026-01-01T00:00:00Z) or a date"));
        return null;
      }
    }
  }

  private static Instant farFuture() {
    return Instant.parse("9999-12-31T00:00:00Z");
  }
}
