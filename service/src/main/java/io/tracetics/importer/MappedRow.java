package io.tracetics.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;
import java.io.IOException;

/**
 * One row of a file as a {@link RowMapper} maps it: the API's event object (with the identify it
 * implies, from a preset), an identify, a row left out on purpose, or a rejection with the API's
 * error shape. {@code line} and {@code raw} are the row's place and text in the file, for the
 * rejects file.
 */
sealed interface MappedRow {

  /** Hands the row to the sink. */
  void deliverTo(RowSource.Sink sink) throws IOException;

  /**
   * A row mapped onto the API's event object, still to be validated by the API's rules; {@code
   * impliedIdentify} is the identify the row implies as well, or null.
   */
  record Event(ObjectNode event, ObjectNode impliedIdentify, long line, String raw)
      implements MappedRow {
    Event(ObjectNode event, long line, String raw) {
      this(event, null, line, raw);
    }

    @Override
    public void deliverTo(RowSource.Sink sink) throws IOException {
      sink.row(event, line, raw);
      if (impliedIdentify != null) {
        sink.identify(impliedIdentify, line, raw, false);
      }
    }
  }

  /** A row that is an identify (the API's identify object), still to be validated. */
  record Identify(ObjectNode identify, long line, String raw) implements MappedRow {
    @Override
    public void deliverTo(RowSource.Sink sink) throws IOException {
      sink.identify(identify, line, raw, true);
    }
  }

  /** A row of a kind the preset leaves out on purpose. */
  record Skipped(long line, String reason) implements MappedRow {
    @Override
    public void deliverTo(RowSource.Sink sink) {
      sink.skip(line, reason);
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
