package io.tracetics.funnels;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Cached funnel results, one per (funnel, report parameters). */
@RegisterConstructorMapper(FunnelResultDao.CachedResult.class)
public interface FunnelResultDao {

  @SqlQuery(
      """
      SELECT funnel_version, result, computed_at_ms, data_through_seq FROM funnel_results
      WHERE funnel_id = :funnelId AND params_hash = :paramsHash
      """)
  Optional<CachedResult> find(
      @Bind("funnelId") long funnelId, @Bind("paramsHash") byte[] paramsHash);

  /**
   * Stores a result unless a newer one (same or later funnel version and data position) is there
   * already: results only move forward, whichever node computes them. (The assignments run in
   * order, so the two columns the condition reads are updated last.)
   */
  @SqlUpdate(
      """
      INSERT INTO funnel_results (funnel_id, params_hash, funnel_version, params, result,
                                  computed_at_ms, data_through_seq, data_through_ms)
      VALUES (:funnelId, :paramsHash, :version, :params, :result, :computedAt, :seq, :throughMs)
      ON DUPLICATE KEY UPDATE
        result = IF((VALUES(funnel_version) > funnel_version
                 OR (VALUES(funnel_version) = funnel_version
                     AND VALUES(data_through_seq) >= data_through_seq)), VALUES(result), result),
        params = IF((VALUES(funnel_version) > funnel_version
                 OR (VALUES(funnel_version) = funnel_version
                     AND VALUES(data_through_seq) >= data_through_seq)), VALUES(params), params),
        computed_at_ms = IF((VALUES(funnel_version) > funnel_version
                 OR (VALUES(funnel_version) = funnel_version
                     AND VALUES(data_through_seq) >= data_through_seq)), VALUES(computed_at_ms), computed_at_ms),
        data_through_ms = IF((VALUES(funnel_version) > funnel_version
                 OR (VALUES(funnel_version) = funnel_version
                     AND VALUES(data_through_seq) >= data_through_seq)), VALUES(data_through_ms), data_through_ms),
        data_through_seq = IF((VALUES(funnel_version) > funnel_version
                 OR (VALUES(funnel_version) = funnel_version
                     AND VALUES(data_through_seq) >= data_through_seq)), VALUES(data_through_seq), data_through_seq),
        funnel_version = IF((VALUES(funnel_version) > funnel_version
                 OR (VALUES(funnel_version) = funnel_version
                     AND VALUES(data_through_seq) >= data_through_seq)), VALUES(funnel_version), funnel_version)
      """)
  void store(
      @Bind("funnelId") long funnelId,
      @Bind("paramsHash") byte[] paramsHash,
      @Bind("version") int version,
      @Bind("params") String params,
      @Bind("result") String result,
      @Bind("computedAt") long computedAt,
      @Bind("seq") long seq,
      @Bind("throughMs") Long throughMs);

  /** A cached report. */
  record CachedResult(int funnelVersion, String result, long computedAtMs, long dataThroughSeq) {}
}
