package io.tracetics.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;
import java.io.IOException;

/**
 * One row of a file as a {@link RowMapper} maps it: the API's event object, or a rejection with the
 * API's error shape. {@code line} and {@code raw} are the row's place and text in the file, for the
 * rejects file.
 */
sealed interface MappedRow {

  /** Hands the row to the sink as a row or a rejection. */
  void deliverTo(RowSource.Sink sink) throws IOException;

  /** A row mapped onto the API's event object, still to be validated by the API's rules. */
  record Event(ObjectNode event, long line, String raw) implements MappedRow {
    @Override
    public void deliverTo(RowSource.Sink sink) throws IOException {
      sink.row(event, line, raw);
    }
  }

  /** A row that could not become an event object. */
  record Rejected(long line, ItemError error, String raw) implements MappedRow {
    @Override
    public void deliverTo(RowSource.Sink sink) throws IOException {
      sink.reject(line, error, raw);
    }
  }
}
