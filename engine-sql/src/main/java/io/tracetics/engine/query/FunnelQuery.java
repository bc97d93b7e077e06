package io.tracetics.engine.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A funnel to compute for one app. Build with {@link #builder(long)}; validate with {@link
 * FunnelValidator} before planning.
 *
 * @param window conversion window, measured from the attempt's step-1 event, inclusive
 * @param from entry range start (inclusive): step 1 must happen at or after it
 * @param to entry range end (exclusive): step 1 must happen before it; later steps may run past it
 * @param holdConstant metadata properties every step of a chain must share
 * @param cohorts the persons counted, by cohort membership ({@link CohortRestriction#NONE}: all)
 * @param countBy the metadata property whose values the funnel counts instead of persons (an
 *     account, a company); events without it are left out. Absent: persons.
 */
public record FunnelQuery(
    long appId,
    List<FunnelStep> steps,
    Duration window,
    OrderMode order,
    Optional<Instant> from,
    Optional<Instant> to,
    List<Exclusion> exclusions,
    List<String> holdConstant,
    Optional<Breakdown> breakdown,
    Optional<TrendInterval> trendInterval,
    CohortRestriction cohorts,
    Optional<String> countBy) {

  public static final Duration DEFAULT_WINDOW = Duration.ofDays(14);
  public static final int MAX_STEPS = 20;

  public FunnelQuery {
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    exclusions = exclusions == null ? List.of() : List.copyOf(exclusions);
    holdConstant = holdConstant == null ? List.of() : List.copyOf(holdConstant);
    Objects.requireNonNull(breakdown, "breakdown");
    Objects.requireNonNull(trendInterval, "trendInterval");
    cohorts = cohorts == null ? CohortRestriction.NONE : cohorts;
    countBy = countBy == null ? Optional.empty() : countBy;
  }

  /** Whether the funnel counts the values of a property ({@link #countBy}) instead of persons. */
  public boolean countsUnits() {
    return countBy.isPresent();
  }

  /** Whether a filter or the breakdown reads the persons' traits. */
  public boolean readsTraits() {
    if (breakdown.isPresent() && breakdown.get().source() == PropertySource.USER) {
      return true;
    }
    for (FunnelStep s : steps) {
      for (EventMatch m : s.anyOf()) {
        if (m.filters().stream().anyMatch(f -> f.source() == PropertySource.USER)) {
          return true;
        }
      }
    }
    for (Exclusion x : exclusions) {
      if (x.filters().stream().anyMatch(f -> f.source() == PropertySource.USER)) {
        return true;
      }
    }
    return false;
  }

  public static Builder builder(long appId) {
    return new Builder(appId);
  }

  public Builder toBuilder() {
    Builder b = new Builder(appId);
    b.steps.addAll(steps);
    b.window = window;
    b.order = order;
    b.from = from.orElse(null);
    b.to = to.orElse(null);
    b.exclusions.addAll(exclusions);
    b.holdConstant.addAll(holdConstant);
    b.breakdown = breakdown.orElse(null);
    b.trendInterval = trendInterval.orElse(null);
    b.cohorts = cohorts;
    b.countBy = countBy.orElse(null);
    return b;
  }

  /** Fluent construction with defaults: ordered, 14-day window, no range. */
  public static final class Builder {
    private final long appId;
    private final List<FunnelStep> steps = new ArrayList<>();
    private Duration window = DEFAULT_WINDOW;
    private OrderMode order = OrderMode.ORDERED;
    private Instant from;
    private Instant to;
    private final List<Exclusion> exclusions = new ArrayList<>();
    private final List<String> holdConstant = new ArrayList<>();
    private Breakdown breakdown;
    private TrendInterval trendInterval;
    private final List<PropertyFilter> globalFilters = new ArrayList<>();
    private CohortRestriction cohorts = CohortRestriction.NONE;
    private String countBy;

    private Builder(long appId) {
      this.appId = appId;
    }

    public Builder step(String eventName, PropertyFilter... filters) {
      steps.add(FunnelStep.of(eventName, filters));
      return this;
    }

    public Builder step(FunnelStep step) {
      steps.add(step);
      return this;
    }

    public Builder steps(List<FunnelStep> all) {
      steps.clear();
      steps.addAll(all);
      return this;
    }

    public Builder window(Duration value) {
      this.window = value;
      return this;
    }

    public Builder order(OrderMode value) {
      this.order = value;
      return this;
    }

    public Builder range(Instant fromInclusive, Instant toExclusive) {
      this.from = fromInclusive;
      this.to = toExclusive;
      return this;
    }

    public Builder exclude(Exclusion exclusion) {
      exclusions.add(exclusion);
      return this;
    }

    public Builder holdConstant(String property) {
      holdConstant.add(property);
      return this;
    }

    public Builder breakdown(Breakdown value) {
      this.breakdown = value;
      return this;
    }

    public Builder trend(TrendInterval value) {
      this.trendInterval = value;
      return this;
    }

    /**
     * A filter every step event and every exclusion event must also pass (a global filter): {@link
     * #build} adds it to the filters of each step and exclusion, so the query means exactly that
     * and the plans need no notion of their own.
     */
    public Builder globalFilter(PropertyFilter filter) {
      globalFilters.add(java.util.Objects.requireNonNull(filter, "filter"));
      return this;
    }

    /** Counts only the persons {@code value} lets in (see {@link CohortRestriction}). */
    public Builder cohorts(CohortRestriction value) {
      this.cohorts = Objects.requireNonNull(value, "cohorts");
      return this;
    }

    /** Counts the values of the metadata property {@code property} instead of persons. */
    public Builder countBy(String property) {
      this.countBy = property;
      return this;
    }

    public FunnelQuery build() {
      List<FunnelStep> allSteps = steps;
      List<Exclusion> allExclusions = exclusions;
      if (!globalFilters.isEmpty()) {
        allSteps = new ArrayList<>();
        for (FunnelStep s : steps) {
          allSteps.add(s.withFilters(globalFilters));
        }
        allExclusions = new ArrayList<>();
        for (Exclusion x : exclusions) {
          allExclusions.add(
              new Exclusion(x.eventName(), withGlobal(x.filters()), x.fromStep(), x.toStep()));
        }
      }
      return new FunnelQuery(
          appId,
          allSteps,
          window,
          order,
          Optional.ofNullable(from),
          Optional.ofNullable(to),
          allExclusions,
          holdConstant,
          Optional.ofNullable(breakdown),
          Optional.ofNullable(trendInterval),
          cohorts,
          Optional.ofNullable(countBy));
    }

    /** {@code own} and then the global filters (a filter already there is not repeated). */
    private List<PropertyFilter> withGlobal(List<PropertyFilter> own) {
      List<PropertyFilter> all = new ArrayList<>(own);
      for (PropertyFilter g : globalFilters) {
        if (!all.contains(g)) {
          all.add(g);
        }
      }
      return all;
    }
  }
}
