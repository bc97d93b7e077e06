package io.tracetics.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar with rate and ETA for operator commands, redrawn at most ten times a
 * second on the given stream (stderr, so the command's stdout stays clean).
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String unit;
  private final long started = System.nanoTime();
  private long lastPrinted;

  /** A bar counting {@code unit} ("events", "rows"). */
  public ProgressBar(PrintStream out, String unit) {
    this.out = out;
    this.unit = unit;
  }

  /** Progress as {@code done} of a known {@code total} of the counted unit. */
  public void update(long done, long total) {
    if (!due(done >= total)) {
      return;
    }
    out.print("\r" + line(done, total, unit, seconds()));
    out.flush();
  }

  /**
   * Progress measured on another scale than the count (an import knows the bytes read of the file,
   * not its rows): {@code fraction} drives the bar and the ETA, {@code count} the rate.
   */
  public void updateFraction(double fraction, long count) {
    if (!due(fraction >= 1.0)) {
      return;
    }
    out.print("\r" + fractionLine(fraction, count, unit, seconds()));
    out.flush();
  }

  public void finish() {
    out.println();
  }

  private boolean due(boolean last) {
    long now = System.nanoTime();
    if (now - lastPrinted < 100_000_000L && !last) {
      return false;
    }
    lastPrinted = now;
    return true;
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  public static String line(long done, long total, String unit, double seconds) {
    double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
    double rate = seconds > 0 ? done / seconds : 0;
    String eta = rate > 0 && done < total ? String.format("%.0fs", (total - done) / rate) : "0s";
    return String.format(
        "%s %3.0f%% %,d/%,d %s %,.0f/s ETA %s",
        bar(fraction), fraction * 100, done, total, unit, rate, eta);
  }

  public static String fractionLine(double fraction, long count, String unit, double seconds) {
    double f = Math.max(0.0, Math.min(1.0, fraction));
    double rate = seconds > 0 ? count / seconds : 0;
    String eta = f > 0 && f < 1.0 ? String.format("%.0fs", seconds * (1 - f) / f) : "0s";
    return String.format(
        "%s %3.0f%% %,d %s %,.0f/s ETA %s", bar(f), f * 100, count, unit, rate, eta);
  }

  private static String bar(double fraction) {
    int filled = (int) Math.round(fraction * WIDTH);
    return "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
  }
}
