package io.tracetics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void aTerminalGetsTheBarAnythingElsePlainLines() {
    assertEquals(
        ProgressBar.Style.BAR, ProgressBar.choose(Optional.of("/dev/pts/3"), false, NO_ENV));
    assertEquals(
        ProgressBar.Style.BAR, ProgressBar.choose(Optional.of("/dev/tty1"), false, NO_ENV));
    assertEquals(
        ProgressBar.Style.LINES,
        ProgressBar.choose(Optional.of("/var/log/tracetics/import.log"), true, NO_ENV));
    assertEquals(
        ProgressBar.Style.LINES, ProgressBar.choose(Optional.of("pipe:[91823]"), true, NO_ENV));
    assertEquals(
        ProgressBar.Style.LINES, ProgressBar.choose(Optional.of("/dev/null"), true, NO_ENV));
    // Where the system does not say, the console decides.
    assertEquals(ProgressBar.Style.BAR, ProgressBar.choose(Optional.empty(), true, NO_ENV));
    assertEquals(ProgressBar.Style.LINES, ProgressBar.choose(Optional.empty(), false, NO_ENV));
  }

  @Test
  void ciDumbTerminalsAndTheOverride() {
    Optional<String> tty = Optional.of("/dev/pts/0");
    assertEquals(ProgressBar.Style.LINES, ProgressBar.choose(tty, true, Map.of("CI", "true")));
    assertEquals(ProgressBar.Style.LINES, ProgressBar.choose(tty, true, Map.of("TERM", "dumb")));
    assertEquals(
        ProgressBar.Style.LINES,
        ProgressBar.choose(tty, true, Map.of("TRACETICS_PROGRESS", "lines")));
    assertEquals(
        ProgressBar.Style.BAR,
        ProgressBar.choose(
            Optional.of("/tmp/log"), false, Map.of("TRACETICS_PROGRESS", "bar", "CI", "1")));
  }

  @Test
  void linesArePlainPeriodicAndEndWithTheLastState() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    // An interval no test outlasts: the first update prints, the next ones wait, finish() prints
    // the last state once.
    ProgressBar bar = new ProgressBar(out, "rows", ProgressBar.Style.LINES, Long.MAX_VALUE);
    bar.update(10, 100);
    bar.update(50, 100);
    bar.update(100, 100);
    bar.finish();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"), text);
    assertFalse(text.contains("#"), text);
    String[] lines = text.split("\n");
    assertEquals(2, lines.length, text);
    assertTrue(lines[0].startsWith(" 10% 10/100 rows"), lines[0]);
    assertTrue(lines[1].startsWith("100% 100/100 rows"), lines[1]);
  }

  @Test
  void everyUpdatePrintsALineWhenTheIntervalIsZeroAndFinishAddsNoDuplicate() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(out, "events", ProgressBar.Style.LINES, 0);
    bar.updateFraction(0.25, 25);
    bar.updateFraction(1.0, 100);
    bar.finish();
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[1].startsWith("100% 100 events"), lines[1]);
  }

  @Test
  void theBarRedrawsInPlaceAndEndsWithANewline() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(out, "rows", ProgressBar.Style.BAR, 0);
    bar.update(1, 2);
    bar.update(2, 2);
    bar.finish();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("\r["), text);
    assertTrue(text.contains("\r[" + "#".repeat(30) + "] 100%"), text);
    assertTrue(text.endsWith("\n"));
  }
}
