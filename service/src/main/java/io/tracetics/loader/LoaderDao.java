package io.tracetics.loader;

import io.tracetics.engine.store.IdentityLink;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The loader's reads and bookkeeping in MariaDB. Not tenant-scoped: it moves every event. */
@RegisterRowMapper(SourceEvent.Mapper.class)
@RegisterRowMapper(LoaderDao.LinkMapper.class)
@RegisterConstructorMapper(LoaderDao.UnsequencedBatch.class)
@RegisterConstructorMapper(LoaderDao.CohortChangeRow.class)
public interface LoaderDao {

  /** Locks the epoch counter: sequencers on all nodes take turns here. */
  @SqlQuery("SELECT last_seq FROM pipeline_sequence WHERE id = 1 FOR UPDATE")
  long lockLastSeq();

  @SqlQuery("SELECT last_seq FROM pipeline_sequence WHERE id = 1")
  long lastSeq();

  @SqlQuery("SELECT id, event_count FROM ingest_batches WHERE seq IS NULL ORDER BY id LIMIT :limit")
  List<UnsequencedBatch> unsequenced(@Bind("limit") int limit);

  @SqlUpdate(
      """
      UPDATE ingest_batches SET seq = :seq, sequenced_at_ms = :now
      WHERE seq IS NULL AND id IN (<ids>)
      """)
  int assignEpoch(@Bind("seq") long seq, @Bind("now") long now, @BindList("ids") List<Long> ids);

  @SqlUpdate("UPDATE pipeline_sequence SET last_seq = :seq WHERE id = 1")
  void setLastSeq(@Bind("seq") long seq);

  @SqlQuery("SELECT COUNT(*) FROM ingest_batches WHERE seq IS NULL")
  long countUnsequenced();

  @SqlQuery(
      "SELECT DISTINCT seq FROM ingest_batches WHERE seq > :after AND seq <= :upTo"
          + " ORDER BY seq LIMIT :limit")
  List<Long> epochsAfter(
      @Bind("after") long after, @Bind("upTo") long upTo, @Bind("limit") int limit);

  /**
   * The events of one commit epoch, minus quarantined ones, in no particular order (the store sorts
   * them by id; an ORDER BY here made MariaDB copy every row, metadata included, into a temporary
   * table and sort it).
   */
  @SqlQuery(
      """
      SELECT e.id, e.app_id, e.user_identifier, e.event_name, e.event_time_ms, e.received_at_ms,
             e.metadata
      FROM ingest_batches b
      JOIN events e ON e.batch_id = b.id
      LEFT JOIN quarantined_events q ON q.event_id = e.id
      WHERE b.seq = :seq AND q.event_id IS NULL
      """)
  List<SourceEvent> eventsOfEpoch(@Bind("seq") long seq);

  /**
   * The identifies of one commit epoch in id order: the order in which the service decided them (it
   * decides under the tenant's usage lock and takes ids while holding it).
   */
  @SqlQuery(
      """
      SELECT i.app_id, i.anonymous_id, i.user_identifier, i.traits
      FROM ingest_batches b
      JOIN identifies i ON i.batch_id = b.id
      WHERE b.seq = :seq
      ORDER BY i.id
      """)
  List<IdentityLink> identifiesOfEpoch(@Bind("seq") long seq);

  /**
   * The cohort changes of one commit epoch in id order (a cohort's creation always precedes its
   * deletion: the deletion's transaction finds the cohort committed).
   */
  @SqlQuery(
      """
      SELECT c.app_id, c.cohort_id, c.kind
      FROM ingest_batches b
      JOIN cohort_changes c ON c.batch_id = b.id
      WHERE b.seq = :seq
      ORDER BY c.id
      """)
  List<CohortChangeRow> cohortChangesOfEpoch(@Bind("seq") long seq);

  /** A cohort's members as created, in the order given. */
  @SqlQuery("SELECT user_identifier FROM cohort_members WHERE cohort_id = :cohortId ORDER BY id")
  List<String> cohortMembers(@Bind("cohortId") long cohortId);

  @SqlQuery("SELECT MAX(sequenced_at_ms) FROM ingest_batches WHERE seq = :seq")
  Optional<Long> sequencedAt(@Bind("seq") long seq);

  @SqlUpdate(
      """
      INSERT INTO quarantined_events (event_id, app_id, reason) VALUES (:eventId, :appId, :reason)
      ON DUPLICATE KEY UPDATE reason = VALUES(reason)
      """)
  void quarantine(
      @Bind("eventId") long eventId, @Bind("appId") long appId, @Bind("reason") String reason);

  @SqlQuery("SELECT COUNT(*) FROM quarantined_events")
  long countQuarantined();

  /** An identifies row as the store takes it. */
  final class LinkMapper implements RowMapper<IdentityLink> {
    @Override
    public IdentityLink map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new IdentityLink(
          rs.getLong("app_id"),
          rs.getString("anonymous_id"),
          rs.getString("user_identifier"),
          rs.getString("traits"));
    }
  }

  /** A cohort_changes row: {@code kind} is create or delete. */
  record CohortChangeRow(long appId, long cohortId, String kind) {}

  /** A batch that committed but has no epoch yet. */
  record UnsequencedBatch(long id, int eventCount) {}
}
