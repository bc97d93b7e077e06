package io.tracetics.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tracetics.engine.store.StoreConfig;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.Optional;

/** The node's analytic copy of the events: a DuckDB file with explicit resource limits. */
public class DuckDbConfig {
  public static final String DEFAULT_FILE_NAME = "analytics.duckdb";

  /** The DuckDB file; empty means {@code <dataDir>/analytics.duckdb}. */
  @JsonProperty @NotNull public String file = "";

  @JsonProperty
  @NotNull
  @Pattern(regexp = StoreConfig.SIZE_PATTERN)
  public String memoryLimit = StoreConfig.DEFAULT_MEMORY_LIMIT;

  /** {@link #threads} value for all cores but one, at least one. */
  public static final int AUTO_THREADS = 0;

  /**
   * DuckDB's threads; {@link #AUTO_THREADS} (the default) means all cores but one, at least one.
   * The loader's DuckDB work runs beside the event API and usually MariaDB on the same machine;
   * leaving them a core keeps ingest's tail latency down while loads run (the measurements are in
   * benchmarks/results/).
   */
  @JsonProperty
  @Min(AUTO_THREADS)
  public int threads = AUTO_THREADS;

  /** The threads DuckDB gets with {@code cores} processors. */
  public int threads(int cores) {
    return threads == AUTO_THREADS ? Math.max(1, cores - 1) : threads;
  }

  /**
   * Load the engine's native funnel aggregate when this build has one (engine-sql/README.md "The
   * native aggregate"); false runs every funnel with the SQL plans.
   */
  @JsonProperty public boolean nativeFunnel = true;

  /**
   * The most memory the native aggregate may hold, on top of {@link #memoryLimit}; a funnel that
   * needs more runs on its SQL plan (which spills to disk within the limit).
   */
  @JsonProperty
  @NotNull
  @Pattern(regexp = StoreConfig.SIZE_PATTERN)
  public String nativeFunnelMemory = StoreConfig.DEFAULT_NATIVE_FUNNEL_MEMORY;

  public Path path(Path dataDir) {
    return file.isBlank() ? dataDir.resolve(DEFAULT_FILE_NAME) : Path.of(file);
  }

  public StoreConfig storeConfig(Path dataDir) {
    Path path = path(dataDir).toAbsolutePath();
    return new StoreConfig(
        Optional.of(path),
        memoryLimit,
        threads(Runtime.getRuntime().availableProcessors()),
        Optional.of(path.resolveSibling(path.getFileName() + ".tmp")),
        nativeFunnel,
        nativeFunnelMemory);
  }
}
