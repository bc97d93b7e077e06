package io.tracetics.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.identity.Identify;
import io.tracetics.identity.IdentifyParser;
import io.tracetics.identity.IdentifyResult;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.IngestEvent;
import io.tracetics.ingest.ItemError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a source's rows go, on the reading thread: each row is validated by the API's rules ({@link
 * EventParser#parseEvent}), given a {@link DerivedEventId} when it has no id, and collected into
 * batches of {@code batchSize} events for the writers; a refused row goes to the rejects file, or,
 * without one, fails the import.
 *
 * <p>Identifies are validated by the API's identify rules ({@link IdentifyParser}), given a {@link
 * DerivedIdentifyId} when they have no id, and stored on this thread in file order, {@value
 * #IDENTIFY_BATCH} at a time ({@code identifies}: the identify service's store for the import's
 * app): the order decides which link wins and which traits are the latest. A refused identify goes
 * to the rejects file as well.
 */
final class ImportSink implements RowSource.Sink {
  private static final int REPORT_EVERY = 1024;
  static final int IDENTIFY_BATCH = 1_000;

  private final EventParser parser = new EventParser();
  private final IdentifyParser identifyParser = new IdentifyParser(parser);
  private final DerivedEventId ids = new DerivedEventId();
  private final DerivedIdentifyId identifyIds = new DerivedIdentifyId();
  private final long receivedAtMs;
  private final int batchSize;
  private final RejectsFile rejects;
  private final ImportCounts counts;
  private final Consumer<List<IngestEvent>> batches;
  private final Function<List<Identify>, List<IdentifyResult>> identifies;
  private final Runnable report;
  private List<IngestEvent> chunk;
  private final List<PendingIdentify> pendingIdentifies = new ArrayList<>();

  /** An identify waiting to be stored, with its row for the rejects file. */
  private record PendingIdentify(Identify identify, long line, String raw) {}

  /**
   * @param rejects the rejects file, or null when a refused row fails the import
   * @param batches takes each full batch (may block)
   * @param identifies stores identifies in order, answering for each
   * @param report called every {@value #REPORT_EVERY} rows
   */
  ImportSink(
      long receivedAtMs,
      int batchSize,
      RejectsFile rejects,
      ImportCounts counts,
      Consumer<List<IngestEvent>> batches,
      Function<List<Identify>, List<IdentifyResult>> identifies,
      Runnable report) {
    this.receivedAtMs = receivedAtMs;
    this.batchSize = batchSize;
    this.rejects = rejects;
    this.counts = counts;
    this.batches = batches;
    this.identifies = identifies;
    this.report = report;
    this.chunk = new ArrayList<>(batchSize);
  }

  @Override
  public void row(ObjectNode node, long line, String raw) throws IOException {
    long record = ++counts.rows;
    EventParser.Result result = parser.parseEvent(node, receivedAtMs);
    if (result instanceof EventParser.Invalid invalid) {
      counts.rejected++;
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
    counts.rejected++;
    rejectRow(line, error, raw);
    reportNow(record);
  }

  @Override
  public void identify(ObjectNode node, long line, String raw, boolean ownRow) throws IOException {
    if (ownRow) {
      counts.rows++;
      counts.identifyRows++;
    }
    String text = raw == null ? node.toString() : raw;
    IdentifyParser.Result result = identifyParser.parse(node, receivedAtMs);
    if (result instanceof IdentifyParser.Invalid invalid) {
      counts.identifiesRefused++;
      rejectRow(line, invalid.error(), text);
    } else {
      Identify identify = ((IdentifyParser.Valid) result).identify();
      pendingIdentifies.add(
          new PendingIdentify(
              identify.clientMessageId() == null ? identifyIds.assign(identify) : identify,
              line,
              text));
      if (pendingIdentifies.size() >= IDENTIFY_BATCH) {
        flushIdentifies();
      }
    }
    if (ownRow) {
      reportNow(counts.rows);
    }
  }

  @Override
  public void skip(long line, String reason) {
    long record = ++counts.rows;
    counts.skipped++;
    counts.skipReason(reason);
    reportNow(record);
  }

  /** Hands over the last, partial batch, and stores the identifies still waiting. */
  void flush() throws IOException {
    if (!chunk.isEmpty()) {
      batches.accept(chunk);
      chunk = new ArrayList<>(batchSize);
    }
    flushIdentifies();
  }

  private void flushIdentifies() throws IOException {
    if (pendingIdentifies.isEmpty()) {
      return;
    }
    List<Identify> items = new ArrayList<>(pendingIdentifies.size());
    pendingIdentifies.forEach(p -> items.add(p.identify()));
    List<IdentifyResult> results = identifies.apply(items);
    for (int i = 0; i < results.size(); i++) {
      IdentifyResult result = results.get(i);
      if (result instanceof IdentifyResult.Rejected rejected) {
        counts.identifiesRefused++;
        PendingIdentify pending = pendingIdentifies.get(i);
        rejectRow(pending.line(), rejected.error(), pending.raw());
      } else if (result instanceof IdentifyResult.Duplicate) {
        counts.identifiesDuplicate++;
      } else {
        counts.identifiesStored++;
      }
    }
    pendingIdentifies.clear();
  }

  private void reportNow(long record) {
    if (record % REPORT_EVERY == 0) {
      report.run();
    }
  }

  private void rejectRow(long line, ItemError error, String raw) throws IOException {
    if (rejects == null) {
      throw new ImportException(
          "Row " + line + " was refused (" + error.error() + "): " + error.message());
    }
    rejects.write(line, error, raw);
  }
}
