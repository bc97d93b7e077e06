package io.tracetics.engine.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

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
 */
public record StoreConfig(
    Optional<Path> file,
    String memoryLimit,
    int threads,
    Optional<Path> tempDirectory,
    boolean nativeFunnel) {

  public static final String DEFAULT_MEMORY_LIMIT = "2GB";
  public static final int DEFAULT_THREADS = 2;

  public StoreConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(tempDirectory, "tempDirectory");
    if (memoryLimit == null
        || !memoryLimit.matches("\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)")) {
      throw new IllegalArgumentException("memoryLimit must look like 512MB or 2GB: " + memoryLimit);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
  }

  /** A store that uses the native funnel aggregate when this build has one. */
  public StoreConfig(
      Optional<Path> file, String memoryLimit, int threads, Optional<Path> tempDirectory) {
    this(file, memoryLimit, threads, tempDirectory, true);
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
    return new StoreConfig(file, limit, threads, tempDirectory, nativeFunnel);
  }

  public StoreConfig withThreads(int count) {
    return new StoreConfig(file, memoryLimit, count, tempDirectory, nativeFunnel);
  }

  public StoreConfig withNativeFunnel(boolean enabled) {
    return new StoreConfig(file, memoryLimit, threads, tempDirectory, enabled);
  }
}
