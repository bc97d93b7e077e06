package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.ingest.ItemError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RejectsFileTest {

  @Test
  void aStaleFileIsRemovedAndNoneIsWrittenWithoutRejects(@TempDir Path dir) throws IOException {
    Path path = dir.resolve("events.csv.rejects.ndjson");
    Files.writeString(path, "old\n");
    try (RejectsFile rejects = RejectsFile.replacing(path)) {
      assertEquals(path, rejects.path());
    }
    assertFalse(Files.exists(path));
  }

  @Test
  void writesOneJsonLinePerRejectedRow(@TempDir Path dir) throws IOException {
    Path path = dir.resolve("r.ndjson");
    try (RejectsFile rejects = RejectsFile.replacing(path)) {
      rejects.write(3, new ItemError(400, "invalid_row", "Expected 3 columns", null), "a,\"b\"");
      rejects.write(
          7, new ItemError(400, "missing_field", "no time", "timestamp"), "x\ny"); // a line break
    }
    assertEquals(
        List.of(
            "{\"line\":3,\"error\":{\"code\":400,\"error\":\"invalid_row\","
                + "\"message\":\"Expected 3 columns\"},\"row\":\"a,\\\"b\\\"\"}",
            "{\"line\":7,\"error\":{\"code\":400,\"error\":\"missing_field\",\"message\":\"no time\","
                + "\"field\":\"timestamp\"},\"row\":\"x\\ny\"}"),
        Files.readAllLines(path));
  }

  @Test
  void anUnwritablePlaceNamesTheOption(@TempDir Path dir) {
    RejectsFile rejects = RejectsFile.replacing(dir.resolve("missing-dir").resolve("r.ndjson"));
    ImportException e =
        assertThrows(
            ImportException.class,
            () -> rejects.write(1, new ItemError(400, "invalid_row", "x", null), "x"));
    assertEquals(true, e.getMessage().endsWith("; choose one with --rejects"));
  }
}
