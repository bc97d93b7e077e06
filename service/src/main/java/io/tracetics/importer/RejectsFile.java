package io.tracetics.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.ingest.ItemError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rejects file of a file import: one JSON line per refused row, {@code {"line": ..., "error":
 * <the API's item error>, "row": <the row's text>}}. It describes the latest run only: a stale one
 * is removed when the import starts, and the file is created at the first rejected row.
 */
final class RejectsFile implements AutoCloseable {
  private final ObjectMapper json = new ObjectMapper();
  private final Path path;
  private BufferedWriter out;

  private RejectsFile(Path path) {
    this.path = path;
  }

  /** Removes the rejects file of an earlier run, if there is one. */
  static RejectsFile replacing(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a read-only directory: nothing stale to remove, and a new file would fail loudly later
    }
    return new RejectsFile(path);
  }

  Path path() {
    return path;
  }

  void write(long line, ItemError error, String raw) throws IOException {
    if (out == null) {
      try {
        out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ImportException(
            "Cannot write the rejects file " + path + " (" + e + "); choose one with --rejects", e);
      }
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("line", line);
    entry.put("error", error);
    entry.put("row", raw);
    out.write(json.writeValueAsString(entry));
    out.write('\n');
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
