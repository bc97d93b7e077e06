package io.tracetics.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.ItemError;
import java.io.IOException;

/**
 * Where an import's rows come from: a file ({@link FileRows}) or anything else that produces
 * events, such as the demo data generator. {@link Importer} calls {@link #read} once, on its
 * reading thread, and validates, identifies and stores every row the same way whatever its source.
 */
public interface RowSource {

  /** Hands every row to the sink, in order, and returns at the end. */
  void read(Sink sink) throws IOException;

  /** The share of the source read so far, 0..1, for the progress bar (called from any thread). */
  double fractionRead();

  /** What a source hands its rows to. */
  interface Sink {
    /**
     * One row as the API's event object: {@code event_name}, {@code user_identifier}, {@code
     * timestamp} (epoch milliseconds or ISO-8601 text, as the API reads it), optionally {@code
     * event_id} and {@code metadata}. {@code line} and {@code raw} describe the row in the rejects
     * file; a null {@code raw} stands for the event object's JSON.
     */
    void row(ObjectNode event, long line, String raw) throws IOException;

    /** A row the source could not turn into an event object; it counts as a rejected row. */
    void reject(long line, ItemError error, String raw) throws IOException;

    /**
     * An identify as the API's identify object ({@code user_identifier}, optionally {@code
     * anonymous_id}, {@code traits}, {@code timestamp}, {@code event_id}). Identifies are stored in
     * the order they are handed over. {@code ownRow}: the row is an identify (it counts as a row);
     * otherwise the identify comes with the event just handed over for the same row.
     */
    void identify(ObjectNode identify, long line, String raw, boolean ownRow) throws IOException;

    /** A row the source leaves out on purpose; it counts as a row, skipped for {@code reason}. */
    void skip(long line, String reason);
  }
}
