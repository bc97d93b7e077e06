package io.tracetics.cohorts;

import io.tracetics.actors.ActorAnswer;
import io.tracetics.actors.ActorRequest;
import io.tracetics.actors.ActorsService;
import io.tracetics.engine.exec.ActorList;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.store.PersonLookup;
import io.tracetics.errors.ApiException;
import io.tracetics.funnels.ReportParams;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.paging.Page;
import io.tracetics.paging.PageRequest;
import io.tracetics.queue.IngestNoticePublisher;
import io.tracetics.queue.IngestNotices;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.PlanLimits;
import io.tracetics.tenancy.PlanRow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Cohorts of a tenant's apps: static sets of identifiers, within the plan's cohort limit.
 *
 * <p>A creation or deletion commits in one transaction with a {@code cohort_changes} row under a
 * new {@code ingest_batches} row, so it reaches every node's analytic store through the loader,
 * exactly once and in commit-epoch order like events and identifies; the notice only makes the
 * loader come sooner.
 */
public class CohortService {
  static final String CREATE = "create";
  static final String DELETE = "delete";

  private final Jdbi jdbi;
  private final AppService apps;
  private final IngestNotices notices;
  private final PersonLookup persons;
  private final ActorsService actors;
  private final Clock clock;

  public CohortService(
      Jdbi jdbi,
      AppService apps,
      IngestNotices notices,
      PersonLookup persons,
      ActorsService actors,
      Clock clock) {
    this.jdbi = jdbi;
    this.apps = apps;
    this.notices = notices;
    this.persons = persons;
    this.actors = actors;
    this.clock = clock;
  }

  /**
   * The API's creation: the request's identifiers under {@link CohortRules}, or the people of a
   * saved funnel's report cell ({@code from_actors}) as they are now, at most {@link
   * CohortRules#MAX_FROM_ACTORS}.
   */
  public CohortApi.Cohort create(TenantId tenant, AppId app, CohortApi.CreateRequest request) {
    apps.get(tenant, app);
    String name = CohortRules.name(request.name());
    CohortRules.oneSource(request);
    List<String> members =
        request.fromActors() != null
            ? fromActors(tenant, app, request.fromActors())
            : CohortRules.members(request.userIdentifiers());
    return create(tenant, app, name, members);
  }

  /** The identifiers of a report cell's people (read whole, then the DuckDB snapshot is let go). */
  private List<String> fromActors(TenantId tenant, AppId app, CohortApi.FromActors from) {
    if (from.funnelId() == null) {
      throw ApiException.badRequest("invalid_cohort", "from_actors.funnel_id is required");
    }
    ActorRequest cell =
        new ActorRequest(
            from.step(),
            from.status(),
            from.breakdownValue(),
            from.breakdownOther(),
            from.breakdownNotSet(),
            from.period(),
            null,
            null);
    ReportParams params =
        new ReportParams(
            from.from(),
            from.to(),
            from.breakdown(),
            from.interval(),
            from.mode(),
            from.breakdownSource());
    FunnelQuery query = actors.savedQuery(tenant, app, from.funnelId(), params);
    CohortRules.actorsArePersons(from.funnelId(), query);
    ActorAnswer answer = actors.open(query, cell, true);
    try (ActorList list = answer.list()) {
      CohortRules.fromActorsSize(list.total());
      List<String> members = new ArrayList<>((int) list.total());
      while (list.next()) {
        members.add(list.actor().userIdentifier());
      }
      return members;
    }
  }

  /**
   * Creates a cohort of {@code members} (identifiers, each stored once, in their order), whatever
   * their source; the caller has checked the app and the identifiers' form.
   *
   * @throws io.tracetics.tenancy.PlanLimitException 403 when the plan's cohort limit is reached
   */
  public CohortApi.Cohort create(TenantId tenant, AppId app, String name, List<String> members) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(members));
    long now = clock.millis();
    long[] ids =
        jdbi.inTransaction(
            handle -> {
              CohortDao dao = handle.attach(CohortDao.class);
              PlanLimits.lockWithRoomFor(
                  handle, tenant, "Cohort", PlanRow::maxCohorts, () -> dao.countLive(tenant));
              long cohortId = dao.insert(tenant, app, name, distinct.size(), now);
              if (!distinct.isEmpty()) {
                dao.insertMembers(cohortId, distinct);
              }
              // Counted as its members: the sequencer's cap on events per epoch then bounds a
              // cohort's load like events'.
              long batchId = dao.insertBatch(Math.max(1, distinct.size()), now);
              dao.insertChange(batchId, app, cohortId, CREATE);
              return new long[] {cohortId, batchId};
            });
    announce(ids[1], distinct.size(), app);
    return new CohortApi.Cohort(
        ids[0], app.value(), name, distinct.size(), Instant.ofEpochMilli(now));
  }

  public CohortApi.Cohort get(TenantId tenant, AppId app, long cohortId) {
    apps.get(tenant, app);
    return jdbi.withExtension(CohortDao.class, dao -> dao.find(tenant, app, cohortId))
        .map(CohortService::cohort)
        .orElseThrow(() -> ApiException.notFound("Cohort", cohortId));
  }

  /** A page of the app's live cohorts in id order. */
  public Page<CohortApi.Cohort> page(TenantId tenant, AppId app, PageRequest request) {
    apps.get(tenant, app);
    return request
        .page(
            jdbi.withExtension(
                CohortDao.class, dao -> dao.page(tenant, app, request.afterId(), request.fetch())),
            CohortDao.CohortRow::id)
        .map(CohortService::cohort);
  }

  public List<CohortApi.Cohort> list(TenantId tenant, AppId app) {
    apps.get(tenant, app);
    return jdbi.withExtension(CohortDao.class, dao -> dao.list(tenant, app)).stream()
        .map(CohortService::cohort)
        .toList();
  }

  /**
   * Deletes a cohort: it no longer counts against the limit, and the loader removes its members
   * from the analytic stores; saved funnels naming it then count it as empty.
   */
  public void delete(TenantId tenant, AppId app, long cohortId) {
    apps.get(tenant, app);
    long now = clock.millis();
    long batchId =
        jdbi.inTransaction(
            handle -> {
              CohortDao dao = handle.attach(CohortDao.class);
              if (dao.softDelete(tenant, app, cohortId, now) == 0) {
                throw ApiException.notFound("Cohort", cohortId);
              }
              long batch = dao.insertBatch(1, now);
              dao.insertChange(batch, app, cohortId, DELETE);
              return batch;
            });
    announce(batchId, 1, app);
  }

  /** One page of a cohort's members in the order given; {@code cursor} from the page before. */
  public CohortApi.MemberPage members(
      TenantId tenant, AppId app, long cohortId, String limitParam, String cursor) {
    int limit = CohortRules.limit(limitParam);
    long after = CohortRules.after(cursor);
    get(tenant, app, cohortId);
    List<CohortDao.MemberRow> rows =
        jdbi.withExtension(CohortDao.class, dao -> dao.members(cohortId, after, limit + 1));
    boolean more = rows.size() > limit;
    List<CohortDao.MemberRow> page = more ? rows.subList(0, limit) : rows;
    Set<String> known =
        persons.known(app.value(), page.stream().map(CohortDao.MemberRow::userIdentifier).toList());
    List<CohortApi.Member> members = new ArrayList<>(page.size());
    for (CohortDao.MemberRow row : page) {
      members.add(new CohortApi.Member(row.userIdentifier(), known.contains(row.userIdentifier())));
    }
    String next = more ? CohortRules.cursorAfter(page.get(page.size() - 1).id()) : null;
    return new CohortApi.MemberPage(members, next);
  }

  private void announce(long batchId, int count, AppId app) {
    notices.publish(new IngestNoticePublisher.Notice(batchId, count, String.valueOf(app.value())));
  }

  private static CohortApi.Cohort cohort(CohortDao.CohortRow row) {
    return new CohortApi.Cohort(
        row.id(),
        row.appId(),
        row.name(),
        row.memberCount(),
        Instant.ofEpochMilli(row.createdAtMs()));
  }
}
