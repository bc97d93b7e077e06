package io.tracetics.loader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * This node's view of the ingest notices on the Redis stream: its own consumer group, so every node
 * sees every notice. Notices wake the loader early; correctness never depends on them (the loader
 * reads MariaDB's commit epochs), so they are acknowledged only after a load pass that committed
 * everything sequenced so far into DuckDB, and notices left pending by a dead consumer are
 * reclaimed and acknowledged the same way.
 */
public class NoticeConsumer {
  /** The default stream name ({@code ingest.noticeStream}). */
  public static final String STREAM = "tracetics:ingest-notices";

  private final RedisClient redis;
  private final String stream;
  private final String group;
  private final String consumer;
  private final long reclaimIdleMillis;
  private boolean groupReady;

  public NoticeConsumer(
      RedisClient redis, String stream, String nodeName, String consumer, long reclaimIdleMillis) {
    this.redis = redis;
    this.stream = stream;
    this.group = "loader-" + nodeName;
    this.consumer = consumer;
    this.reclaimIdleMillis = reclaimIdleMillis;
  }

  public String group() {
    return group;
  }

  /** Waits up to {@code blockMillis} for new notices (Redis errors propagate to the caller). */
  public List<StreamEntryID> poll(int blockMillis, int max) {
    ensureGroup();
    List<StreamEntryID> ids = new ArrayList<>();
    Map<String, List<StreamEntry>> read =
        redis.xreadGroupAsMap(
            group,
            consumer,
            XReadGroupParams.xReadGroupParams().count(max).block(Math.max(1, blockMillis)),
            Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    if (read != null) {
      read.values().forEach(entries -> entries.forEach(entry -> ids.add(entry.getID())));
    }
    return ids;
  }

  /** Claims notices another consumer of this group left pending for too long. */
  public List<StreamEntryID> reclaim(int max) {
    ensureGroup();
    var claimed =
        redis.xautoclaimJustId(
            stream,
            group,
            consumer,
            reclaimIdleMillis,
            new StreamEntryID(0, 0),
            XAutoClaimParams.xAutoClaimParams().count(max));
    return claimed == null ? List.of() : new ArrayList<>(claimed.getValue());
  }

  public void ack(List<StreamEntryID> ids) {
    if (!ids.isEmpty()) {
      redis.xack(stream, group, ids.toArray(StreamEntryID[]::new));
    }
  }

  /** Notices delivered to this group and not yet acknowledged. */
  public long pending() {
    ensureGroup();
    StreamPendingSummary summary = redis.xpending(stream, group);
    return summary == null ? 0 : summary.getTotal();
  }

  public long streamLength() {
    return redis.xlen(stream);
  }

  private void ensureGroup() {
    if (groupReady) {
      return;
    }
    try {
      redis.xgroupCreate(stream, group, StreamEntryID.XGROUP_LAST_ENTRY, true);
    } catch (JedisDataException e) {
      if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
        throw e;
      }
    }
    groupReady = true;
  }

  /** Forget the group check after a Redis outage (the server may have lost its data). */
  public void reset() {
    groupReady = false;
  }
}
