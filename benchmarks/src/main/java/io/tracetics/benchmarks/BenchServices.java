package io.tracetics.benchmarks;

import io.tracetics.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the benchmarks start the service: through the test kit's launcher, as a separate JVM with the
 * application's default sizing, a pool of 4 to 32 MariaDB connections, a 1 GB heap and its own
 * temporary data directory (its log is {@code service.log} there).
 */
final class BenchServices {
  private BenchServices() {}

  /** Options for a service named {@code name} on {@code dbUrl} (created if missing). */
  static ServiceProcess.Options options(String name, String dbUrl, String redisUrl) {
    Path dir;
    try {
      dir = Files.createTempDirectory("tracetics-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ServiceProcess.options(name, dir.resolve("data"))
        .databaseUrl(dbUrl)
        .redisUrl(redisUrl)
        .defaultSizing()
        .set("database.minSize", "4")
        .set("database.maxSize", "32")
        .jvmArgs(jvmArgs())
        .log(dir.resolve("service.log"));
  }

  static ServiceProcess start(ServiceProcess.Options options) {
    return ServiceProcess.start(options, Duration.ofSeconds(120));
  }

  /** {@code -Xmx1g}, then {@code bench.serviceJvmArgs} (e.g. a profiler's options). */
  private static List<String> jvmArgs() {
    List<String> args = new ArrayList<>(List.of("-Xmx1g"));
    String extra = System.getProperty("bench.serviceJvmArgs", "").trim();
    if (!extra.isEmpty()) {
      args.addAll(List.of(extra.split("\\s+")));
    }
    return args;
  }
}
