package io.tracetics.funnels;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.cohorts.CohortDao;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.Violation;
import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.paging.Page;
import io.tracetics.paging.PageRequest;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.PlanLimits;
import io.tracetics.tenancy.PlanRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Saved funnels of a tenant's apps: validated, within the plan's funnel limit, versioned. */
public class FunnelService {
  private final Jdbi jdbi;
  private final AppService apps;
  private final ObjectMapper json;

  public FunnelService(Jdbi jdbi, AppService apps, ObjectMapper json) {
    this.jdbi = jdbi;
    this.apps = apps;
    this.json = json;
  }

  /** What is stored in {@code funnels.options}: the definition minus name, window, order, steps. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Options(
      @JsonProperty("exclusions") List<FunnelApi.Exclusion> exclusions,
      @JsonProperty("global_filters") List<FunnelApi.Filter> globalFilters,
      @JsonProperty("hold_constant") List<String> holdConstant,
      @JsonProperty("breakdown") String breakdown,
      @JsonProperty("breakdown_limit") Integer breakdownLimit,
      @JsonProperty("breakdown_source") String breakdownSource,
      @JsonProperty("from") String from,
      @JsonProperty("to") String to,
      @JsonProperty("interval") String interval,
      @JsonProperty("cohorts") FunnelApi.Cohorts cohorts,
      @JsonProperty("count_by") FunnelApi.CountBy countBy) {}

  /** What a stored step keeps beyond its event name and filters (the {@code details} column). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record StepDetails(
      @JsonProperty("any_of") List<FunnelApi.Alternative> anyOf,
      @JsonProperty("name") String name,
      @JsonProperty("within_seconds") Long withinSeconds) {}

  public FunnelApi.SavedFunnel create(TenantId tenant, AppId app, FunnelApi.Definition def) {
    apps.get(tenant, app);
    refuseCompare(def);
    FunnelApi.Definition normalized = normalize(def);
    requireName(normalized);
    FunnelQueries.toQuery(app.value(), normalized, ReportParams.NONE);
    requireLiveCohorts(tenant, app, normalized);
    long id =
        jdbi.inTransaction(
            handle -> {
              FunnelDao funnels = handle.attach(FunnelDao.class);
              PlanLimits.lockWithRoomFor(
                  handle, tenant, "Funnel", PlanRow::maxFunnels, () -> funnels.countLive(tenant));
              long funnelId =
                  funnels.insert(
                      tenant,
                      app,
                      normalized.name(),
                      normalized.windowSeconds(),
                      normalized.order(),
                      options(normalized));
              insertSteps(funnels, funnelId, normalized);
              return funnelId;
            });
    return get(tenant, app, id);
  }

  public FunnelApi.SavedFunnel update(
      TenantId tenant, AppId app, long funnelId, FunnelApi.Definition def) {
    apps.get(tenant, app);
    refuseCompare(def);
    FunnelApi.Definition normalized = normalize(def);
    requireName(normalized);
    FunnelQueries.toQuery(app.value(), normalized, ReportParams.NONE);
    requireLiveCohorts(tenant, app, normalized);
    jdbi.useTransaction(
        handle -> {
          FunnelDao funnels = handle.attach(FunnelDao.class);
          int changed =
              funnels.update(
                  tenant,
                  app,
                  funnelId,
                  normalized.name(),
                  normalized.windowSeconds(),
                  normalized.order(),
                  options(normalized));
          if (changed == 0) {
            throw ApiException.notFound("Funnel", funnelId);
          }
          funnels.deleteSteps(funnelId);
          insertSteps(funnels, funnelId, normalized);
        });
    return get(tenant, app, funnelId);
  }

  public FunnelApi.SavedFunnel get(TenantId tenant, AppId app, long funnelId) {
    apps.get(tenant, app);
    return jdbi.withHandle(
        handle ->
            handle
                .attach(FunnelDao.class)
                .find(tenant, app, funnelId)
                .map(row -> saved(handle, row))
                .orElseThrow(() -> ApiException.notFound("Funnel", funnelId)));
  }

  public List<FunnelApi.SavedFunnel> list(TenantId tenant, AppId app) {
    apps.get(tenant, app);
    return jdbi.withHandle(
        handle -> {
          List<FunnelApi.SavedFunnel> result = new ArrayList<>();
          for (FunnelRow row : handle.attach(FunnelDao.class).list(tenant, app)) {
            result.add(saved(handle, row));
          }
          return result;
        });
  }

  /** A page of the app's saved funnels in id order. */
  public Page<FunnelApi.SavedFunnel> page(TenantId tenant, AppId app, PageRequest request) {
    apps.get(tenant, app);
    return jdbi.withHandle(
        handle -> {
          Page<FunnelRow> rows =
              request.page(
                  handle
                      .attach(FunnelDao.class)
                      .page(tenant, app, request.afterId(), request.fetch()),
                  FunnelRow::id);
          List<FunnelApi.SavedFunnel> result = new ArrayList<>();
          for (FunnelRow row : rows.items()) {
            result.add(saved(handle, row));
          }
          return new Page<>(result, rows.nextCursor());
        });
  }

  public void delete(TenantId tenant, AppId app, long funnelId) {
    apps.get(tenant, app);
    if (jdbi.withExtension(FunnelDao.class, dao -> dao.softDelete(tenant, app, funnelId)) == 0) {
      throw ApiException.notFound("Funnel", funnelId);
    }
  }

  /** A saved funnel with its row, for reports and the pipeline's recompute. */
  public record Loaded(FunnelRow row, FunnelApi.Definition definition) {
    public FunnelQuery query(ReportParams params) {
      return FunnelQueries.toQuery(row.appId(), definition, params);
    }
  }

  public Loaded load(TenantId tenant, AppId app, long funnelId) {
    apps.get(tenant, app);
    return jdbi.withHandle(
        handle ->
            handle
                .attach(FunnelDao.class)
                .find(tenant, app, funnelId)
                .map(row -> new Loaded(row, saved(handle, row).definition()))
                .orElseThrow(() -> ApiException.notFound("Funnel", funnelId)));
  }

  /** Every live funnel of an app (no tenant check: for the pipeline, which trusts app ids). */
  public List<Loaded> liveOfApp(long appId) {
    return jdbi.withHandle(
        handle -> {
          List<Loaded> result = new ArrayList<>();
          for (FunnelRow row : handle.attach(FunnelDao.class).liveOfApp(appId)) {
            result.add(new Loaded(row, saved(handle, row).definition()));
          }
          return result;
        });
  }

  private FunnelApi.SavedFunnel saved(Handle handle, FunnelRow row) {
    List<FunnelApi.Step> steps = new ArrayList<>();
    for (FunnelDao.StepRow step : handle.attach(FunnelDao.class).steps(row.id())) {
      List<FunnelApi.Filter> filters =
          read(step.filters(), new TypeReference<List<FunnelApi.Filter>>() {});
      if (step.details() == null) {
        steps.add(new FunnelApi.Step(step.eventName(), filters));
        continue;
      }
      StepDetails details = read(step.details(), new TypeReference<StepDetails>() {});
      steps.add(
          details.anyOf() != null
              ? new FunnelApi.Step(
                  null, null, details.anyOf(), details.name(), details.withinSeconds())
              : new FunnelApi.Step(
                  step.eventName(), filters, null, details.name(), details.withinSeconds()));
    }
    Options options = read(row.options(), new TypeReference<Options>() {});
    FunnelApi.Definition def =
        new FunnelApi.Definition(
            row.name(),
            row.windowSeconds(),
            row.orderMode(),
            steps,
            options.exclusions(),
            options.globalFilters(),
            options.holdConstant(),
            options.breakdown(),
            options.breakdownLimit(),
            options.breakdownSource(),
            options.from(),
            options.to(),
            options.interval(),
            options.cohorts(),
            options.countBy(),
            null);
    return new FunnelApi.SavedFunnel(
        row.id(), row.appId(), row.version(), row.createdAt(), row.updatedAt(), def);
  }

  private void insertSteps(FunnelDao funnels, long funnelId, FunnelApi.Definition def) {
    List<Integer> indexes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> filters = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (int i = 0; i < def.steps().size(); i++) {
      FunnelApi.Step step = def.steps().get(i);
      indexes.add(i);
      boolean anyOf = step.anyOf() != null;
      names.add(anyOf ? step.anyOf().get(0).eventName() : step.eventName());
      filters.add(write(anyOf || step.filters() == null ? List.of() : step.filters()));
      boolean plain = !anyOf && step.name() == null && step.withinSeconds() == null;
      details.add(
          plain ? null : write(new StepDetails(step.anyOf(), step.name(), step.withinSeconds())));
    }
    funnels.insertSteps(funnelId, indexes, names, filters, details);
  }

  /**
   * Defaults made explicit: 14-day window, ordered ({@code compare} is left out: not a default).
   */
  public static FunnelApi.Definition normalize(FunnelApi.Definition def) {
    return new FunnelApi.Definition(
        def.name() == null ? null : def.name().strip(),
        def.windowSeconds() == null ? FunnelQuery.DEFAULT_WINDOW.toSeconds() : def.windowSeconds(),
        def.order() == null ? "ordered" : def.order().toLowerCase(Locale.ROOT),
        def.steps(),
        def.exclusions(),
        def.globalFilters(),
        def.holdConstant(),
        def.breakdown(),
        def.breakdownLimit(),
        def.breakdownSource(),
        def.from(),
        def.to(),
        def.interval(),
        def.cohorts(),
        def.countBy(),
        null);
  }

  /**
   * Refuses a definition naming a cohort that is not a live cohort of the app (deleted, of another
   * app or tenant, or never made): 422 {@code invalid_funnel}, one {@code unknown_cohort} violation
   * per such id. A saved funnel whose cohort is deleted later still runs: the cohort then has no
   * members.
   */
  public void requireLiveCohorts(TenantId tenant, AppId app, FunnelApi.Definition def) {
    FunnelApi.Cohorts cohorts = def.cohorts();
    if (cohorts == null) {
      return;
    }
    List<Long> named = new ArrayList<>();
    named.addAll(cohorts.include() == null ? List.of() : cohorts.include());
    named.addAll(cohorts.exclude() == null ? List.of() : cohorts.exclude());
    if (named.isEmpty()) {
      return;
    }
    java.util.Set<Long> live = new java.util.HashSet<>();
    jdbi.useExtension(
        CohortDao.class, dao -> dao.findAll(tenant, app, named).forEach(row -> live.add(row.id())));
    List<Violation> problems = new ArrayList<>();
    unknown(cohorts.include(), "cohorts.include", live, problems);
    unknown(cohorts.exclude(), "cohorts.exclude", live, problems);
    if (!problems.isEmpty()) {
      throw FunnelQueries.invalid(problems);
    }
  }

  private static void unknown(
      List<Long> ids, String field, java.util.Set<Long> live, List<Violation> problems) {
    for (int i = 0; ids != null && i < ids.size(); i++) {
      if (!live.contains(ids.get(i))) {
        problems.add(
            new Violation(
                "unknown_cohort",
                field + "[" + i + "]",
                "cohort " + ids.get(i) + " is not a live cohort of this app"));
      }
    }
  }

  /** A saved funnel keeps no {@code compare}: each report asks for it. */
  private static void refuseCompare(FunnelApi.Definition def) {
    if (def.compare() != null) {
      throw FunnelQueries.invalid(
          List.of(
              new Violation(
                  "compare_not_saved",
                  "compare",
                  "compare is not saved with a funnel: ask its report with ?compare=previous")));
    }
  }

  private static void requireName(FunnelApi.Definition def) {
    if (def.name() == null || def.name().isBlank()) {
      throw new ApiException(422, "validation_failed", "name must not be blank");
    }
  }

  private String options(FunnelApi.Definition def) {
    return write(
        new Options(
            def.exclusions(),
            def.globalFilters(),
            def.holdConstant(),
            def.breakdown(),
            def.breakdownLimit(),
            def.breakdownSource(),
            def.from(),
            def.to(),
            def.interval(),
            def.cohorts(),
            def.countBy()));
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise a funnel definition", e);
    }
  }

  private <T> T read(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored funnel definition is unreadable", e);
    }
  }
}
