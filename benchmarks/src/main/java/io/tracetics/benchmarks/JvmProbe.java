package io.tracetics.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a benchmark reads about a service JVM from {@code /proc}: whether it is idle, the CPU its
 * JIT compiler threads used, its peak RSS. Where /proc is missing, it waits for nothing and reports
 * -1.
 */
final class JvmProbe {
  private final long pid;

  JvmProbe(long pid) {
    this.pid = pid;
  }

  /**
   * Waits (at most 30 s) until the JVM is idle: under 10% of a core over a quarter second, so that
   * a measurement does not pay for work left over from the one before (the loader catching up on
   * what the last load committed, garbage collection, the JIT).
   */
  void awaitIdle() throws InterruptedException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long before = cpuTicks(stat);
    while (before >= 0 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      long now = cpuTicks(stat);
      if (now - before <= 2) { // clock ticks are 10 ms: at most 20 ms of CPU in 250 ms
        return;
      }
      before = now;
    }
  }

  /**
   * CPU time the JVM's JIT compiler threads ("C1/C2 CompilerThread") have used so far, in
   * milliseconds, or -1. A warm-up is over when this stops growing.
   */
  long compilerCpuMillis() {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long ticks = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        String stat;
        try {
          stat = Files.readString(thread.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended meanwhile
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.contains("CompilerThre")) {
          ticks += Math.max(0, cpuTicks(stat));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * 10; // clock ticks are 10 ms
  }

  /** Peak resident memory (VmHWM), in MB, or -1. */
  long peakRssMb() {
    return PeakRss.ofProcessMb(pid);
  }

  /** utime + stime of a {@code /proc/<pid>/stat} file in clock ticks, or -1. */
  private static long cpuTicks(Path stat) {
    try {
      return cpuTicks(Files.readString(stat));
    } catch (IOException e) {
      return -1;
    }
  }

  /** utime + stime of the text of a {@code stat} file, or -1. */
  private static long cpuTicks(String line) {
    try {
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
