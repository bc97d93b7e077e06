package io.tracetics.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's DuckDB extension ({@code engine-sql/src/main/c}, README "The native aggregate"): the
 * aggregate {@code tracetics_window_funnel}, which computes an ordered funnel per user in one pass.
 * The build puts it on the class path for the platform it was built on; a build without a C
 * compiler has none, and the engine then runs every funnel with its SQL plans.
 *
 * <p>DuckDB takes an extension's name from its file name, so the resource is copied once per JVM to
 * {@code tracetics_funnel.duckdb_extension} in a new owner-only temporary directory, and every
 * store loads that file before it locks its instance.
 */
final class NativeFunnel {
  private static final String FILE_NAME = "tracetics_funnel.duckdb_extension";
  private static final Logger LOG = LoggerFactory.getLogger(NativeFunnel.class);

  private static Optional<Path> extracted; // guarded by NativeFunnel.class

  private NativeFunnel() {}

  /** DuckDB's name for this JVM's platform ({@code PRAGMA platform}), or empty if unknown. */
  static Optional<String> platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String system = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : null;
    String cpu =
        switch (arch) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default -> null;
        };
    return system == null || cpu == null ? Optional.empty() : Optional.of(system + "_" + cpu);
  }

  /** The extension for this platform as a file DuckDB can load, or empty if this build has none. */
  static synchronized Optional<Path> file() {
    if (extracted == null) {
      extracted = platform().flatMap(NativeFunnel::extract);
    }
    return extracted;
  }

  private static Optional<Path> extract(String platform) {
    String resource = "/io/tracetics/engine/native/" + platform + "/" + FILE_NAME;
    try (InputStream in = NativeFunnel.class.getResourceAsStream(resource)) {
      if (in == null) {
        LOG.info(
            "No native funnel extension for {} in this build: funnels use the SQL plans", platform);
        return Optional.empty();
      }
      Path dir =
          FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
              ? Files.createTempDirectory(
                  "tracetics-native",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rwx------")))
              : Files.createTempDirectory("tracetics-native");
      Path file = dir.resolve(FILE_NAME);
      // Deleted at exit in reverse order of registration: the file, then its directory.
      dir.toFile().deleteOnExit();
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return Optional.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the native funnel extension", e);
    }
  }

  /**
   * Loads {@code file} into the instance behind {@code st} (which must not be locked yet) and caps
   * the aggregate's memory at {@code memoryCap} bytes; false, with a warning, when DuckDB refuses
   * it (another platform or DuckDB version, for example).
   */
  static boolean load(Statement st, Path file, long memoryCap) {
    try {
      st.execute("LOAD '" + file.toAbsolutePath().toString().replace("'", "''") + "'");
      // Process-wide: every store of this JVM shares the one copy of the extension.
      st.execute("SELECT tracetics_funnel_memory_cap(" + memoryCap + ")");
      return true;
    } catch (SQLException e) {
      LOG.warn(
          "Cannot load the native funnel extension {}: funnels use the SQL plans ({})",
          file,
          e.getMessage());
      return false;
    }
  }
}
