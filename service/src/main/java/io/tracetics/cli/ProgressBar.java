package io.tracetics.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Progress with rate and ETA for operator commands, on stderr so the command's stdout stays clean.
 * On a terminal it is one bar redrawn in place at most ten times a second; anywhere else (cron, CI,
 * a redirected log) it prints a plain line every few seconds and a last one at the end, because
 * carriage-return redraws turn a log file into one endless line.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  /** How the progress is written. */
  public enum Style {
    /** One line redrawn in place with carriage returns. */
    BAR,
    /** Plain lines, one per interval. */
    LINES
  }

  private final PrintStream out;
  private final String unit;
  private final Style style;
  private final long intervalNanos;
  private final long started = System.nanoTime();
  private long lastPrinted;
  private String lastLine;
  private boolean lastLineShown;

  /** A bar counting {@code unit} ("events", "rows") on stderr, styled for where stderr goes. */
  public ProgressBar(PrintStream out, String unit) {
    this(out, unit, detect(), 10_000_000_000L);
  }

  /** With the style and, for {@link Style#LINES}, the interval between lines given. */
  public ProgressBar(PrintStream out, String unit, Style style, long intervalNanos) {
    this.out = out;
    this.unit = unit;
    this.style = style;
    this.intervalNanos = style == Style.BAR ? REDRAW_NANOS : intervalNanos;
  }

  /** Progress as {@code done} of a known {@code total} of the counted unit. */
  public void update(long done, long total) {
    show(line(done, total, unit, seconds()), done >= total);
  }

  /**
   * Progress measured on another scale than the count (an import knows the bytes read of the file,
   * not its rows): {@code fraction} drives the bar and the ETA, {@code count} the rate.
   */
  public void updateFraction(double fraction, long count) {
    show(fractionLine(fraction, count, unit, seconds()), fraction >= 1.0);
  }

  public void finish() {
    if (style == Style.BAR) {
      out.println();
    } else if (lastLine != null && !lastLineShown) {
      out.println(plain(lastLine));
    }
    out.flush();
  }

  private void show(String line, boolean last) {
    lastLine = line;
    lastLineShown = false;
    long now = System.nanoTime();
    boolean first = lastPrinted == 0;
    if (!first && now - lastPrinted < intervalNanos && !(last && style == Style.BAR)) {
      return;
    }
    lastPrinted = now;
    lastLineShown = true;
    if (style == Style.BAR) {
      out.print("\r" + line);
    } else {
      out.println(plain(line));
    }
    out.flush();
  }

  /** A line without the drawn bar, for logs. */
  static String plain(String line) {
    return line.startsWith("[") ? line.substring(line.indexOf(']') + 2) : line;
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** The style for this process's stderr. */
  public static Style detect() {
    Optional<String> target;
    try {
      target = Optional.of(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      target = Optional.empty();
    }
    return choose(target, System.console() != null, System.getenv());
  }

  /**
   * The rule: {@code TRACETICS_PROGRESS=bar|lines} decides when set; a dumb terminal or CI gets
   * lines; else a bar only when stderr is a terminal device (where the system says what it is bound
   * to) or, where it does not, when the process has a console.
   *
   * @param stderrTarget what stderr is bound to (Linux: the link /proc/self/fd/2), if known
   */
  public static Style choose(
      Optional<String> stderrTarget, boolean hasConsole, Map<String, String> env) {
    String forced = env.getOrDefault("TRACETICS_PROGRESS", "");
    if (forced.equalsIgnoreCase("bar")) {
      return Style.BAR;
    }
    if (forced.equalsIgnoreCase("lines")) {
      return Style.LINES;
    }
    if ("dumb".equals(env.get("TERM")) || env.containsKey("CI")) {
      return Style.LINES;
    }
    if (stderrTarget.isPresent()) {
      String t = stderrTarget.get();
      return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console")
          ? Style.BAR
          : Style.LINES;
    }
    return hasConsole ? Style.BAR : Style.LINES;
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
