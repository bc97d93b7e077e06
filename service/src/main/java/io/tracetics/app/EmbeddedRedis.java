package io.tracetics.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Redis started in-process (embedded-redis) for the one-command start, with its append-only file
 * under one directory. Only {@link EmbeddedServers} touches this class, and only when the embedded
 * servers are on the class path (the distribution leaves them out).
 */
final class EmbeddedRedis {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

  private final RedisServer server;

  private EmbeddedRedis(RedisServer server) {
    this.server = server;
  }

  static EmbeddedRedis start(int port, Path dir) {
    try {
      Files.createDirectories(dir);
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("dir " + dir)
              .setting("appendonly yes")
              .setting("save \"\"")
              .build();
      server.start();
      return new EmbeddedRedis(server);
    } catch (IOException e) {
      throw new UncheckedIOException("Embedded Redis did not start", e);
    }
  }

  /** Stops it; a failure is logged, not thrown (this runs while shutting down). */
  void shutDown() {
    try {
      server.stop();
    } catch (IOException e) {
      LOG.warn("Embedded Redis did not stop cleanly", e);
    }
  }
}
