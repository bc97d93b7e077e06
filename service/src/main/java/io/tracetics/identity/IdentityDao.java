package io.tracetics.identity;

import io.tracetics.tenancy.TenantDao;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The identify path's statements in MariaDB; every method runs inside the transaction of {@link
 * IdentifyService}, which holds the tenant's usage counter lock (the lock every ingest write of the
 * tenant takes), so the graph it reads does not change under it.
 */
@RegisterConstructorMapper(IdentityDao.AliasRow.class)
@RegisterConstructorMapper(IdentityDao.Quota.class)
public interface IdentityDao {

  /** An alias and its person. */
  record AliasRow(String alias, String person) {}

  /** The tenant's effective plan code and monthly limit (null: no limit). */
  record Quota(String planCode, Long maxMonthlyEvents) {}

  /** The tenant's effective plan (the rule every limit check reads: {@link TenantDao}). */
  @SqlQuery(
      "SELECT p.code AS plan_code, p.max_monthly_events FROM tenants t JOIN plans p ON p.code = "
          + TenantDao.EFFECTIVE_PLAN_CODE
          + " WHERE t.id = :tenantId")
  Optional<Quota> quota(@Bind("tenantId") long tenantId);

  /** Creates the tenant's counter row of the period if missing and locks it until commit. */
  @SqlUpdate(
      "SET STATEMENT innodb_lock_wait_timeout = :wait FOR"
          + " INSERT INTO usage_counters (tenant_id, period) VALUES (:tenantId, :period)"
          + " ON DUPLICATE KEY UPDATE accepted = accepted")
  void lockUsage(
      @Bind("wait") long lockWaitSeconds,
      @Bind("tenantId") long tenantId,
      @Bind("period") String period);

  @SqlQuery(
      "SELECT accepted FROM usage_counters WHERE tenant_id = :tenantId AND period = :period"
          + " FOR UPDATE")
  long accepted(@Bind("tenantId") long tenantId, @Bind("period") String period);

  @SqlUpdate(
      "UPDATE usage_counters SET accepted = accepted + :accepted, rejected = rejected + :rejected"
          + " WHERE tenant_id = :tenantId AND period = :period")
  void addUsage(
      @Bind("tenantId") long tenantId,
      @Bind("period") String period,
      @Bind("accepted") long accepted,
      @Bind("rejected") long rejected);

  @SqlQuery(
      "SELECT client_message_id FROM identifies WHERE app_id = :appId"
          + " AND client_message_id IN (<ids>)")
  List<String> storedClientIds(@Bind("appId") long appId, @BindList("ids") Collection<String> ids);

  @SqlQuery("SELECT alias, person FROM identity_aliases WHERE app_id = :appId AND alias IN (<ids>)")
  List<AliasRow> aliases(@Bind("appId") long appId, @BindList("ids") Collection<String> ids);

  /** Which of {@code ids} are the person of at least one alias. */
  @SqlQuery(
      "SELECT DISTINCT person FROM identity_aliases WHERE app_id = :appId AND person IN (<ids>)")
  List<String> withAliases(@Bind("appId") long appId, @BindList("ids") Collection<String> ids);

  @SqlUpdate("INSERT INTO ingest_batches (event_count, created_at_ms) VALUES (:count, :now)")
  @GetGeneratedKeys("id")
  long insertBatch(@Bind("count") int count, @Bind("now") long nowMs);

  @SqlBatch(
      """
      INSERT INTO identifies (app_id, batch_id, anonymous_id, user_identifier, traits,
                              identified_at_ms, received_at_ms, client_message_id)
      VALUES (:appId, :batchId, :i.anonymousId, :i.userIdentifier, :i.traitsJson,
              :i.identifiedAtMs, :i.receivedAtMs, :i.clientMessageId)
      """)
  @GetGeneratedKeys("id")
  long[] insertIdentifies(
      @Bind("appId") long appId,
      @Bind("batchId") long batchId,
      @BindMethods("i") List<Identify> identifies);

  @SqlUpdate(
      """
      INSERT INTO identity_aliases (app_id, alias, person, identify_id, created_at_ms)
      VALUES (:appId, :alias, :person, :identifyId, :now)
      """)
  void insertAlias(
      @Bind("appId") long appId,
      @Bind("alias") String alias,
      @Bind("person") String person,
      @Bind("identifyId") long identifyId,
      @Bind("now") long nowMs);

  /** The person of {@code identifier}: its alias row's person, or itself. */
  @SqlQuery("SELECT person FROM identity_aliases WHERE app_id = :appId AND alias = :identifier")
  Optional<String> personOf(@Bind("appId") long appId, @Bind("identifier") String identifier);
}
