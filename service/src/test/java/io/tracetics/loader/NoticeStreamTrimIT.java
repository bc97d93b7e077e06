package io.tracetics.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/** The trim keeps every notice some consumer group has not acknowledged (on a private stream). */
class NoticeStreamTrimIT {
  @Test
  void trimsOnlyWhatEveryGroupAcknowledged() {
    String stream = "tracetics-test:trim:" + System.nanoTime();
    try (RedisClient redis = RedisClient.create(TestServers.get().redisUrl())) {
      try {
        List<StreamEntryID> ids = new ArrayList<>();
        redis.xgroupCreate(stream, "fast", new StreamEntryID(0, 0), true);
        redis.xgroupCreate(stream, "slow", new StreamEntryID(0, 0), true);
        for (int i = 0; i < 10; i++) {
          ids.add(
              redis.xadd(
                  stream,
                  XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY),
                  Map.of("n", Integer.toString(i))));
        }
        NoticeStreamTrimJob job = new NoticeStreamTrimJob(redis, null, stream, 1_000);

        // fast: read all 10, acknowledged 6 (7..10 pending). slow: read 3, acknowledged all 3.
        List<StreamEntryID> fast = read(redis, stream, "fast", 10);
        redis.xack(stream, "fast", fast.subList(0, 6).toArray(StreamEntryID[]::new));
        List<StreamEntryID> slow = read(redis, stream, "slow", 3);
        redis.xack(stream, "slow", slow.toArray(StreamEntryID[]::new));

        String outcome = job.trim();
        assertTrue(outcome.contains("trimmed_acknowledged=3"), outcome);
        assertEquals(7, redis.xlen(stream), "entries 4..10 stay: slow has not read them");

        // slow reads and acknowledges everything: now fast's pending entry 7 is the limit.
        List<StreamEntryID> rest = read(redis, stream, "slow", 10);
        redis.xack(stream, "slow", rest.toArray(StreamEntryID[]::new));
        outcome = job.trim();
        assertTrue(outcome.contains("trimmed_acknowledged=3"), outcome);
        assertEquals(ids.get(6), redis.xrange(stream, "-", "+", 1).get(0).getID());

        // Everything acknowledged everywhere: the stream empties (new notices keep coming).
        redis.xack(stream, "fast", fast.subList(6, 10).toArray(StreamEntryID[]::new));
        outcome = job.trim();
        assertEquals(0, redis.xlen(stream), outcome);
      } finally {
        redis.del(stream);
      }
    }
  }

  private static List<StreamEntryID> read(RedisClient redis, String stream, String group, int n) {
    Map<String, List<StreamEntry>> read =
        redis.xreadGroupAsMap(
            group,
            "c",
            XReadGroupParams.xReadGroupParams().count(n),
            Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    List<StreamEntryID> ids = new ArrayList<>();
    read.values().forEach(entries -> entries.forEach(e -> ids.add(e.getID())));
    return ids;
  }
}
