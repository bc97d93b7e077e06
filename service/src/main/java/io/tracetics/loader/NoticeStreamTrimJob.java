package io.tracetics.loader;

import io.tracetics.jobs.ClusterJobRuns;
import java.time.Duration;
import java.util.List;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * A cluster-wide job (once across the cluster, see {@code Scheduling.everyOnceInCluster}): keeps
 * the Redis notice stream from growing without end. It removes the notices every node's consumer
 * group has acknowledged (XTRIM MINID), and caps the stream at {@code maxLength} so a group left
 * behind by a node that is gone for good cannot hold it forever; notices only wake loaders early,
 * correctness never depends on them, so dropping old ones is safe. Each run is claimed and recorded
 * in {@code cluster_job_runs}.
 */
@DisallowConcurrentExecution
public class NoticeStreamTrimJob implements Job {
  public static final String NAME = "notice-stream-trim";
  private static final Duration RUN_RETENTION = Duration.ofDays(7);

  private final RedisClient redis;
  private final ClusterJobRuns runs;
  private final String stream;
  private final long maxLength;

  /**
   * @param stream the notice stream ({@code ingest.noticeStream})
   * @param maxLength its cap ({@code ingest.noticeStreamMaxLen}), whatever the groups hold
   */
  public NoticeStreamTrimJob(
      RedisClient redis, ClusterJobRuns runs, String stream, long maxLength) {
    this.redis = redis;
    this.runs = runs;
    this.stream = stream;
    this.maxLength = maxLength;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    long fire = context.getScheduledFireTime().getTime();
    try {
      if (!runs.claim(NAME, fire)) {
        return;
      }
      String outcome;
      try {
        outcome = trim();
      } catch (JedisException e) {
        outcome = "redis unavailable: " + e.getMessage();
      }
      runs.prune(NAME, fire - RUN_RETENTION.toMillis());
      runs.finish(NAME, fire, outcome);
    } catch (RuntimeException e) {
      // MariaDB down and the like: the next tick tries again.
      throw new JobExecutionException(e, false);
    }
  }

  /** Trims the stream; returns what it did, for the run record. */
  String trim() {
    if (!redis.exists(stream)) {
      return "no stream";
    }
    List<StreamGroupInfo> groups = redis.xinfoGroups(stream);
    StreamEntryID safe = null;
    for (StreamGroupInfo group : groups) {
      StreamEntryID keepFrom;
      if (group.getPending() > 0) {
        StreamPendingSummary pending = redis.xpending(stream, group.getName());
        keepFrom = pending.getMinId();
      } else {
        StreamEntryID last = group.getLastDeliveredId();
        keepFrom = new StreamEntryID(last.getTime(), last.getSequence() + 1);
      }
      if (keepFrom != null && (safe == null || keepFrom.compareTo(safe) < 0)) {
        safe = keepFrom;
      }
    }
    long acknowledged = 0;
    if (safe != null) {
      acknowledged = redis.xtrim(stream, XTrimParams.xTrimParams().minId(safe.toString()));
    }
    long capped =
        redis.xtrim(stream, XTrimParams.xTrimParams().maxLen(maxLength).approximateTrimming());
    return "groups="
        + groups.size()
        + " trimmed_acknowledged="
        + acknowledged
        + " trimmed_over_cap="
        + capped
        + " length="
        + redis.xlen(stream);
  }
}
