package io.tracetics.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command of the application ({@code import}, {@code demo-data}, ...) as an operator does: a
 * separate JVM, the command line, the test configuration file, pointed at {@link TestServers}.
 */
public final class CommandProcess {
  private CommandProcess() {}

  /** The exit code and everything the command printed (stdout and stderr). */
  public record Result(int exit, String output) {}

  /** Runs the command with {@code dir} for its data directory and output. */
  public static Result run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("-Ddw.database.url=" + TestServers.get().jdbcUrl());
    command.add("-Ddw.redis.url=" + TestServers.get().redisUrl());
    command.add("-Ddw.dataDir=" + dir.resolve("data"));
    command.add("-Ddw.logging.level=WARN");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.tracetics.app.TraceticsApplication");
    command.addAll(List.of(args));
    command.add(Path.of("src", "test", "resources", "test-config.yml").toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("TRACETICS_"));
    Path log = dir.resolve("command-" + System.nanoTime() + ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(args[0] + " did not finish: " + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }
}
