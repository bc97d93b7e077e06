package io.tracetics.identity;

import io.tracetics.db.DatabaseFailures;
import io.tracetics.errors.RetryableApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.queue.IngestNoticePublisher;
import io.tracetics.queue.IngestNotices;
import io.tracetics.tenancy.UsagePeriod;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores identifies in MariaDB, the system of record, in one transaction per request: under the
 * tenant's usage counter lock (which every ingest write of the tenant takes) it reads the identity
 * graph around the request's identifiers, decides the items ({@link IdentifyAdmission}), and writes
 * the stored ones under a new ingest batch with their new aliases and their usage (an identify
 * counts as one event). The sequencer then gives the batch its epoch and the loader hands the
 * identifies to DuckDB with the events of that epoch, exactly once and in (epoch, id) order: the
 * order in which the lock made the decisions here.
 */
public class IdentifyService {
  private static final Logger LOG = LoggerFactory.getLogger(IdentifyService.class);
  private static final int MAX_ATTEMPTS = 3;

  private final Jdbi jdbi;
  private final IngestNotices notices;
  private final Clock clock;
  private final long lockWaitSeconds;
  private final boolean metered;

  /** The API's identify path: each stored identify counts as one event of the month. */
  public IdentifyService(Jdbi jdbi, IngestNotices notices, Clock clock, long lockWaitSeconds) {
    this(jdbi, notices, clock, lockWaitSeconds, true);
  }

  /**
   * {@code metered}: whether stored identifies count against the monthly quota (the API's do;
   * imported history does not, like imported events).
   */
  public IdentifyService(
      Jdbi jdbi, IngestNotices notices, Clock clock, long lockWaitSeconds, boolean metered) {
    this.jdbi = jdbi;
    this.notices = notices;
    this.clock = clock;
    this.lockWaitSeconds = lockWaitSeconds;
    this.metered = metered;
  }

  /**
   * Stores one request's identifies of {@code app}; returns what happened to each, in order. Throws
   * 429 {@code monthly_quota_exceeded} when the quota refused items and none was stored, 503 {@code
   * database_unavailable} when the database cannot take the write now (nothing stored).
   */
  public List<IdentifyResult> store(TenantId tenant, AppId app, List<Identify> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Outcome outcome =
            jdbi.inTransaction(handle -> storeInTransaction(handle, tenant, app, items));
        if (outcome.batchId > 0) {
          notices.publish(
              new IngestNoticePublisher.Notice(
                  outcome.batchId, outcome.decision.stored().size(), String.valueOf(app.value())));
        }
        if (outcome.decision.quotaRefused() > 0 && outcome.decision.stored().isEmpty()) {
          throw quotaExceeded(outcome);
        }
        return outcome.decision.results();
      } catch (RuntimeException e) {
        if (e instanceof RetryableApiException) {
          throw e;
        }
        DatabaseFailures.Kind kind = DatabaseFailures.classify(e);
        boolean again =
            kind == DatabaseFailures.Kind.DEADLOCK || kind == DatabaseFailures.Kind.DUPLICATE_KEY;
        if (again && attempt < MAX_ATTEMPTS) {
          continue;
        }
        if (kind.temporary() || again) {
          LOG.warn("Identify write failed ({}): {}", kind, e.toString());
          throw RetryableApiException.databaseUnavailable();
        }
        throw e;
      }
    }
  }

  private record Outcome(
      IdentifyAdmission.Decision decision, long batchId, IdentityDao.Quota quota, long used) {}

  private Outcome storeInTransaction(
      Handle handle, TenantId tenant, AppId app, List<Identify> items) {
    long now = clock.millis();
    String period = UsagePeriod.of(Instant.ofEpochMilli(now));
    IdentityDao dao = handle.attach(IdentityDao.class);
    dao.lockUsage(lockWaitSeconds, tenant.value(), period);
    long accepted = dao.accepted(tenant.value(), period);
    // A tenant without a plan row (deleted meanwhile) has no room.
    IdentityDao.Quota quota =
        dao.quota(tenant.value()).orElse(new IdentityDao.Quota("unknown", 0L));
    long remaining =
        metered
            ? io.tracetics.tenancy.PlanRow.remaining(quota.maxMonthlyEvents(), accepted)
            : Long.MAX_VALUE;

    long appId = app.value();
    Set<String> clientIds = new LinkedHashSet<>();
    Set<String> named = new LinkedHashSet<>();
    for (Identify item : items) {
      if (item.clientMessageId() != null) {
        clientIds.add(item.clientMessageId());
      }
      named.add(item.userIdentifier());
      if (item.anonymousId() != null) {
        named.add(item.anonymousId());
      }
    }
    Set<String> stored =
        clientIds.isEmpty() ? Set.of() : new LinkedHashSet<>(dao.storedClientIds(appId, clientIds));
    Map<String, String> personOf = new HashMap<>();
    for (IdentityDao.AliasRow row : dao.aliases(appId, named)) {
      personOf.put(row.alias(), row.person());
    }
    Set<String> candidates = new LinkedHashSet<>(named);
    candidates.addAll(personOf.values());
    Set<String> withAliases = new LinkedHashSet<>(dao.withAliases(appId, candidates));

    IdentifyAdmission.Decision decision =
        IdentifyAdmission.decide(items, stored, remaining, personOf, withAliases);
    long batchId = 0;
    if (!decision.stored().isEmpty()) {
      List<Identify> rows = new ArrayList<>(decision.stored().size());
      for (int index : decision.stored()) {
        rows.add(items.get(index));
      }
      batchId = dao.insertBatch(rows.size(), now);
      long[] ids = dao.insertIdentifies(appId, batchId, rows);
      Map<Integer, Long> idOfItem = new HashMap<>();
      for (int k = 0; k < ids.length; k++) {
        idOfItem.put(decision.stored().get(k), ids[k]);
      }
      for (IdentifyAdmission.Alias alias : decision.aliases()) {
        dao.insertAlias(appId, alias.alias(), alias.person(), idOfItem.get(alias.item()), now);
      }
    }
    if (metered && (!decision.stored().isEmpty() || decision.quotaRefused() > 0)) {
      dao.addUsage(tenant.value(), period, decision.stored().size(), decision.quotaRefused());
    }
    return new Outcome(decision, batchId, quota, accepted + decision.stored().size());
  }

  private RetryableApiException quotaExceeded(Outcome outcome) {
    Map<String, Object> details = new HashMap<>();
    details.put("limit", outcome.quota.maxMonthlyEvents());
    details.put("plan", outcome.quota.planCode());
    details.put("used", outcome.used);
    return new RetryableApiException(
        429,
        "monthly_quota_exceeded",
        "The monthly event quota of plan '"
            + outcome.quota.planCode()
            + "' ("
            + outcome.quota.maxMonthlyEvents()
            + " events) is used up; identifies count as events and are accepted again from the"
            + " 1st of next month (UTC)",
        UsagePeriod.secondsToNext(clock.instant()),
        details);
  }
}
