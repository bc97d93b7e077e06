package io.tracetics.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service command (import, tenants, apps, ...) as an operator runs it: a separate JVM, the
 * command line and a config file (the test configuration), on the {@link TestServers} MariaDB and
 * Redis.
 */
public final class Commands {
  /** What the command printed (stdout and stderr together) and its exit status. */
  public record Result(int exit, String output) {}

  private Commands() {}

  /**
   * Runs {@code TraceticsApplication <args> test-config.yml} with its data directory under {@code
   * dir}; {@code -Ddw.*} entries of {@code properties} override the configuration.
   */
  public static Result run(Path dir, List<String> properties, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Ddw.database.url=" + TestServers.get().jdbcUrl());
    command.add("-Ddw.redis.url=" + TestServers.get().redisUrl());
    command.add("-Ddw.dataDir=" + dir.resolve("data"));
    command.add("-Ddw.logging.level=WARN");
    command.addAll(properties);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.tracetics.app.TraceticsApplication");
    command.addAll(List.of(args));
    command.add(Path.of("src", "test", "resources", "test-config.yml").toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("TRACETICS_"));
    try {
      Files.createDirectories(dir);
      Path log = dir.resolve("command-" + System.nanoTime() + ".log");
      builder.redirectOutput(log.toFile());
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(args[0] + " did not finish: " + Files.readString(log));
      }
      return new Result(process.exitValue(), Files.readString(log));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public static Result run(Path dir, String... args) {
    return run(dir, List.of(), args);
  }
}
