package io.tracetics.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.IngestEvent;
import io.tracetics.ingest.ItemError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a source's rows go, on the reading thread: each row is validated by the API's rules ({@link
 * EventParser#parseEvent}), given a {@link DerivedEventId} when it has no id, and collected into
 * batches of {@code batchSize} events for the writers; a refused row goes to the rejects file, or,
 * without one, fails the import.
 */
final class ImportSink implements RowSource.Sink {
  private static final int REPORT_EVERY = 1024;

  private final EventParser parser = new EventParser();
  private final DerivedEventId ids = new DerivedEventId();
  private final long receivedAtMs;
  private final int batchSize;
  private final RejectsFile rejects;
  private final ImportCounts counts;
  private final Consumer<List<IngestEvent>> batches;
  private final Runnable report;
  private List<IngestEvent> chunk;

  /**
   * @param rejects the rejects file, or null when a refused row fails the import
   * @param batches takes each full batch (may block)
   * @param report called every {@value #REPORT_EVERY} rows
   */
  ImportSink(
      long receivedAtMs,
      int batchSize,
      RejectsFile rejects,
      ImportCounts counts,
      Consumer<List<IngestEvent>> batches,
      Runnable report) {
    this.receivedAtMs = receivedAtMs;
    this.batchSize = batchSize;
    this.rejects = rejects;
    this.counts = counts;
    this.batches = batches;
    this.report = report;
    this.chunk = new ArrayList<>(batchSize);
  }

  @Override
  public void row(ObjectNode node, long line, String raw) throws IOException {
    long record = ++counts.rows;
    EventParser.Result result = parser.parseEvent(node, receivedAtMs);
    if (result instanceof EventParser.Invalid invalid) {
      rejectRow(line, invalid.error(), raw == null ? node.toString() : raw);
    } else {
      IngestEvent event = ((EventParser.Valid) result).event();
      chunk.add(event.clientEventId() == null ? ids.assign(event, record) : event);
      if (chunk.size() >= batchSize) {
        flush();
      }
    }
    reportNow(record);
  }

  @Override
  public void reject(long line, ItemError error, String raw) throws IOException {
    long record = ++counts.rows;
    rejectRow(line, error, raw);
    reportNow(record);
  }

  /** Hands over the last, partial batch. */
  void flush() {
    if (!chunk.isEmpty()) {
      batches.accept(chunk);
      chunk = new ArrayList<>(batchSize);
    }
  }

  private void reportNow(long record) {
    if (record % REPORT_EVERY == 0) {
      report.run();
    }
  }

  private void rejectRow(long line, ItemError error, String raw) throws IOException {
    counts.rejected++;
    if (rejects == null) {
      throw new ImportException(
          "Row " + line + " was refused (" + error.error() + "): " + error.message());
    }
    rejects.write(line, error, raw);
  }
}
