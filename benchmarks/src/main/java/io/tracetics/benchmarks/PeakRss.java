package io.tracetics.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's peak resident memory ({@code VmHWM} of {@code /proc/<pid>/status}); native memory
 * such as DuckDB's is included.
 */
final class PeakRss {
  private PeakRss() {}

  /** This JVM's peak resident memory in MB, or -1 where /proc is missing. */
  static long ofThisJvmMb() {
    return mb(Path.of("/proc/self/status"));
  }

  /** The peak resident memory of process {@code pid} in MB, or -1 where /proc is missing. */
  static long ofProcessMb(long pid) {
    return mb(Path.of("/proc", Long.toString(pid), "status"));
  }

  /** VmHWM of a {@code /proc/<pid>/status} file, in MB, or -1. */
  static long mb(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
