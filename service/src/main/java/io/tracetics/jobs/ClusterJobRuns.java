package io.tracetics.jobs;

import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of cluster-wide job runs in MariaDB ({@code cluster_job_runs}): a job claims its tick
 * (the trigger's scheduled fire time) before doing any work, so even if the cluster ever fired a
 * tick twice the work would run once, and the second fire would be counted, not hidden.
 */
public class ClusterJobRuns {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterJobRuns.class);
  private static final int OUTCOME_MAX = 1000;

  private final Jdbi jdbi;
  private final String nodeName;
  private final LongSupplier clock;

  public ClusterJobRuns(Jdbi jdbi, String nodeName, LongSupplier clock) {
    this.jdbi = jdbi;
    this.nodeName = nodeName;
    this.clock = clock;
  }

  /** Claims the tick; false (and the duplicate counted) when another fire already claimed it. */
  public boolean claim(String job, long scheduledFireMillis) {
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      """
                      INSERT INTO cluster_job_runs (job_name, scheduled_fire_ms, node, started_at_ms)
                      VALUES (:job, :fire, :node, :now)
                      """)
                  .bind("job", job)
                  .bind("fire", scheduledFireMillis)
                  .bind("node", nodeName)
                  .bind("now", clock.getAsLong())
                  .execute());
      return true;
    } catch (UnableToExecuteStatementException e) {
      if (!(e.getCause() instanceof SQLIntegrityConstraintViolationException)) {
        throw e;
      }
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      """
                      UPDATE cluster_job_runs SET duplicate_fires = duplicate_fires + 1
                      WHERE job_name = :job AND scheduled_fire_ms = :fire
                      """)
                  .bind("job", job)
                  .bind("fire", scheduledFireMillis)
                  .execute());
      LOG.error(
          "Cluster job {} fired twice for the tick at {}; this node ({}) skipped it",
          job,
          scheduledFireMillis,
          nodeName);
      return false;
    }
  }

  /** Records how the claimed run ended. */
  public void finish(String job, long scheduledFireMillis, String outcome) {
    String text = outcome.length() > OUTCOME_MAX ? outcome.substring(0, OUTCOME_MAX) : outcome;
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    UPDATE cluster_job_runs SET finished_at_ms = :now, outcome = :outcome
                    WHERE job_name = :job AND scheduled_fire_ms = :fire
                    """)
                .bind("now", clock.getAsLong())
                .bind("outcome", text)
                .bind("job", job)
                .bind("fire", scheduledFireMillis)
                .execute());
  }

  /** Deletes this job's runs scheduled before {@code beforeMillis} (bounded per call). */
  public int prune(String job, long beforeMillis) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    """
                    DELETE FROM cluster_job_runs
                    WHERE job_name = :job AND scheduled_fire_ms < :before
                    LIMIT 10000
                    """)
                .bind("job", job)
                .bind("before", beforeMillis)
                .execute());
  }

  /** The latest run of each cluster job: where it ran, when, and how it ended (operator view). */
  public Map<String, Object> latest() {
    Map<String, Object> jobs = new LinkedHashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(
                    """
                    SELECT r.job_name, r.node, r.scheduled_fire_ms, r.finished_at_ms, r.outcome,
                           r.duplicate_fires
                    FROM cluster_job_runs r
                    JOIN (SELECT job_name, MAX(scheduled_fire_ms) AS fire
                          FROM cluster_job_runs GROUP BY job_name) m
                      ON m.job_name = r.job_name AND m.fire = r.scheduled_fire_ms
                    ORDER BY r.job_name
                    """)
                .map(
                    (rs, ctx) -> {
                      Map<String, Object> run = new LinkedHashMap<>();
                      run.put("node", rs.getString("node"));
                      run.put(
                          "scheduled_at",
                          Instant.ofEpochMilli(rs.getLong("scheduled_fire_ms")).toString());
                      long finished = rs.getLong("finished_at_ms");
                      run.put(
                          "finished_at",
                          rs.wasNull() ? null : Instant.ofEpochMilli(finished).toString());
                      run.put("outcome", rs.getString("outcome"));
                      run.put("duplicate_fires", rs.getInt("duplicate_fires"));
                      jobs.put(rs.getString("job_name"), run);
                      return run;
                    })
                .list());
    return jobs;
  }
}
