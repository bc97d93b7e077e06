package io.tracetics.engine.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of the one DuckDB instance that holds the analytic copy of the events.
 *
 * @param file the database file, or empty for an in-memory database (tests)
 * @param memoryLimit DuckDB {@code memory_limit}, for example {@code "2GB"}
 * @param threads DuckDB {@code threads}
 * @param tempDirectory where DuckDB spills when a query exceeds the memory limit; empty = DuckDB's
 *     default (next to the file, or none in memory)
 * @param nativeFunnel load the engine's native funnel aggregate when this build has one for the
 *     platform (engine-sql/README.md "The native aggregate"); false: SQL plans only
 * @param nativeFunnelMemory the most memory the native aggregate may hold, outside {@code
 *     memoryLimit} (a funnel that needs more runs on its SQL plan), for example {@code "1GB"}
 */
public record StoreConfig(
    Optional<Path> file,
    String memoryLimit,
    int threads,
    Optional<Path> tempDirectory,
    boolean nativeFunnel,
    String nativeFunnelMemory) {

  public static final String DEFAULT_MEMORY_LIMIT = "2GB";
  public static final int DEFAULT_THREADS = 2;
  public static final String DEFAULT_NATIVE_FUNNEL_MEMORY = "2GB";

  /** DuckDB's size syntax: KB, MB, ... are powers of 1000, KiB, MiB, ... powers of 1024. */
  public static final String SIZE_PATTERN = "(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)";

  private static final Pattern SIZE = Pattern.compile(SIZE_PATTERN);

  public StoreConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(tempDirectory, "tempDirectory");
    if (memoryLimit == null || !memoryLimit.matches(SIZE_PATTERN)) {
      throw new IllegalArgumentException("memoryLimit must look like 512MB or 2GB: " + memoryLimit);
    }
    if (nativeFunnelMemory == null || !nativeFunnelMemory.matches(SIZE_PATTERN)) {
      throw new IllegalArgumentException(
          "nativeFunnelMemory must look like 512MB or 2GB: " + nativeFunnelMemory);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
  }

  /** A store that uses the native funnel aggregate, with the default memory, when it can. */
  public StoreConfig(
      Optional<Path> file, String memoryLimit, int threads, Optional<Path> tempDirectory) {
    this(file, memoryLimit, threads, tempDirectory, true, DEFAULT_NATIVE_FUNNEL_MEMORY);
  }

  /** {@code size} (in {@link #SIZE_PATTERN}) in bytes. */
  public static long bytes(String size) {
    Matcher m = SIZE.matcher(size);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size like 512MB: " + size);
    }
    double unit =
        switch (m.group(2)) {
          case "B" -> 1;
          case "KB" -> 1e3;
          case "MB" -> 1e6;
          case "GB" -> 1e9;
          case "TB" -> 1e12;
          case "KiB" -> 1024.0;
          case "MiB" -> 1024.0 * 1024;
          case "GiB" -> 1024.0 * 1024 * 1024;
          default -> 1024.0 * 1024 * 1024 * 1024;
        };
    return (long) (Double.parseDouble(m.group(1)) * unit);
  }

  /** A file-backed store with the default limits (2 GB, 2 threads), spilling beside the file. */
  public static StoreConfig file(Path file) {
    return new StoreConfig(
        Optional.of(file),
        DEFAULT_MEMORY_LIMIT,
        DEFAULT_THREADS,
        Optional.of(file.resolveSibling(file.getFileName() + ".tmp")));
  }

  /** An in-memory store for tests. */
  public static StoreConfig inMemory() {
    return new StoreConfig(Optional.empty(), "1GB", DEFAULT_THREADS, Optional.empty());
  }

  public StoreConfig withMemoryLimit(String limit) {
    return new StoreConfig(file, limit, threads, tempDirectory, nativeFunnel, nativeFunnelMemory);
  }

  public StoreConfig withThreads(int count) {
    return new StoreConfig(
        file, memoryLimit, count, tempDirectory, nativeFunnel, nativeFunnelMemory);
  }

  public StoreConfig withNativeFunnel(boolean enabled) {
    return new StoreConfig(file, memoryLimit, threads, tempDirectory, enabled, nativeFunnelMemory);
  }

  public StoreConfig withNativeFunnelMemory(String size) {
    return new StoreConfig(file, memoryLimit, threads, tempDirectory, nativeFunnel, size);
  }
}
