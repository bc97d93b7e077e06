package io.tracetics.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.errors.ApiException;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.IngestEvent;
import io.tracetics.ingest.ItemError;
import io.tracetics.tenancy.AppId;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Loads a CSV or NDJSON file (gzip allowed) into one tracked app.
 *
 * <p>Every row becomes the API's event object ({@code event_name}, {@code user_identifier}, {@code
 * timestamp}, {@code event_id}, {@code metadata}) and goes through {@link EventParser#parseEvent},
 * the very validation of {@code POST /api/v1/events}; a refused row is written to the rejects file
 * with the API's error key and message. Valid events are stored by writer threads (one connection
 * each) in transactions of {@code batchSize} rows, each with one {@code ingest_batches} row whose
 * id the events carry, so the loader copies them into DuckDB like any ingested events.
 *
 * <p>De-duplication is the API's: an event id is stored once per app ({@code UNIQUE (app_id,
 * client_event_id)}); ids already stored are counted as duplicates, not inserted. The id is the
 * {@code --id-column}, else an {@code event_id} column when there is one; rows without an id get a
 * derived id, {@code import-}, the row's record number in the file (1-based, header not counted, 12
 * digits), {@code -} and 128 bits of SHA-256 over the row's validated content (user, event name,
 * event time in ms, metadata JSON) and that record number. Importing the same file again (also
 * compressed or not) therefore stores nothing new, while rows that are identical in content stay
 * distinct events.
 *
 * <p>Imported events are history, not live traffic: they do not count toward the tenant's monthly
 * quota ({@code usage_counters}).
 */
public final class Importer {
  /**
   * Progress callback: the estimated fraction done (bytes of the file read, scaled by the share of
   * the rows read that are stored, duplicate or rejected) and the rows done so far.
   */
  public interface Progress {
    void update(double fraction, long rows);
  }

  private static final int MAX_ATTEMPTS = 5;

  /** The id column used when none is named and the file has one: the API's field name. */
  static final String DEFAULT_ID_COLUMN = "event_id";

  private static final String ID_PREFIX = "import-";
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final List<IngestEvent> END = List.of();

  private final Jdbi jdbi;
  private final Clock clock;
  private final EventParser parser = new EventParser();
  private final ObjectMapper json = new ObjectMapper();
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;

  public Importer(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** The app's tenant, or empty when the app does not exist or was deleted. */
  public Optional<Long> appTenant(long appId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tenant_id FROM tracked_apps WHERE id = :id AND deleted_at IS NULL")
                .bind("id", appId)
                .mapTo(Long.class)
                .findOne());
  }

  public ImportSummary run(ImportOptions options, Progress progress) {
    long started = System.nanoTime();
    if (appTenant(options.appId()).isEmpty()) {
      throw new ImportException("App " + options.appId() + " does not exist (or was deleted)");
    }
    Path rejectsPath = options.rejectsFile();
    try {
      Files.deleteIfExists(rejectsPath); // the rejects file describes the latest run only
    } catch (IOException e) {
      // a read-only directory: nothing stale to remove, and a new file would fail loudly later
    }
    Run run = new Run(options, rejectsPath, progress);
    try {
      run.execute();
    } catch (IOException e) {
      throw new ImportException("Reading " + options.file() + " failed: " + e, e);
    } finally {
      run.closeRejects();
    }
    return new ImportSummary(
        run.rows,
        run.stored.get(),
        run.duplicates.get(),
        run.rejected,
        run.batches.get(),
        System.nanoTime() - started,
        run.rejected > 0 ? rejectsPath : null);
  }

  /** The state of one import: the reading side runs on the caller's thread. */
  private final class Run {
    final ImportOptions options;
    final Path rejectsPath;
    final Progress progress;
    final AppId app;
    final long receivedAtMs = clock.millis();
    final MessageDigest sha256;
    final BlockingQueue<List<IngestEvent>> queue;
    final AtomicLong stored = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final List<Thread> writers = new ArrayList<>();
    List<IngestEvent> chunk;
    BufferedWriter rejects;
    // Written by the reading thread only; read by writers for progress.
    volatile long rows;
    volatile long rejected;
    long fileSize;
    CountingInputStream counted;

    Run(ImportOptions options, Path rejectsPath, Progress progress) {
      this.options = options;
      this.rejectsPath = rejectsPath;
      this.progress = progress;
      this.app = AppId.of(options.appId());
      this.queue = new ArrayBlockingQueue<>(options.writers() * 2);
      this.chunk = new ArrayList<>(options.batchSize());
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    void execute() throws IOException {
      try {
        fileSize = Math.max(1, Files.size(options.file()));
        counted = new CountingInputStream(Files.newInputStream(options.file()));
      } catch (NoSuchFileException e) {
        throw new ImportException("No such file: " + options.file());
      }
      Reader reader;
      try {
        reader = open(counted);
      } catch (IOException | RuntimeException e) {
        counted.close();
        throw e;
      }
      for (int i = 0; i < options.writers(); i++) {
        Thread thread = new Thread(this::writeLoop, "import-writer-" + i);
        thread.setDaemon(true);
        writers.add(thread);
        thread.start();
      }
      boolean finished = false;
      try (reader) {
        if (options.effectiveFormat().equals("ndjson")) {
          readNdjson(new BufferedReader(reader, 1 << 16));
        } else {
          readCsv(reader);
        }
        flushChunk();
        for (int i = 0; i < writers.size(); i++) {
          put(END);
        }
        for (Thread writer : writers) {
          join(writer);
        }
        finished = true;
      } catch (CharacterCodingException e) {
        throw new ImportException(
            "The file is not valid UTF-8 (after row "
                + rows
                + "); rows before it may have been stored. Fix the file and run the import"
                + " again: rows already stored are skipped");
      } finally {
        if (!finished) {
          writers.forEach(Thread::interrupt);
          writers.forEach(this::join);
        }
      }
      synchronized (this) {
        progress.update(1.0, stored.get() + duplicates.get() + rejected);
      }
      Throwable failed = failure.get();
      if (failed != null) {
        throw new ImportException("Writing to the database failed: " + failed, failed);
      }
    }

    /**
     * The bar follows the rows that are done (stored, duplicate or rejected): the fraction of the
     * file read, scaled by the share of the rows read so far that are done.
     */
    private synchronized void report() {
      long read = rows;
      long done = stored.get() + duplicates.get() + rejected;
      double fraction =
          read == 0 ? 0 : counted.count() / (double) fileSize * Math.min(1.0, done / (double) read);
      progress.update(fraction, done);
    }

    private void join(Thread thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImportException("Interrupted", e);
      }
    }

    private Reader open(InputStream raw) throws IOException {
      InputStream in = new BufferedInputStream(raw, 1 << 16);
      in.mark(2);
      int b1 = in.read();
      int b2 = in.read();
      in.reset();
      if (b1 == 0x1f && b2 == 0x8b) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      PushbackReader reader =
          new PushbackReader(
              new InputStreamReader(
                  in,
                  StandardCharsets.UTF_8
                      .newDecoder()
                      .onMalformedInput(CodingErrorAction.REPORT)
                      .onUnmappableCharacter(CodingErrorAction.REPORT)),
              1);
      int first = reader.read();
      if (first != -1 && first != '\uFEFF') {
        reader.unread(first); // a byte-order mark is skipped, anything else kept
      }
      return reader;
    }

    // ---- CSV

    private void readCsv(Reader reader) throws IOException {
      CsvRecords records = new CsvRecords(reader);
      List<String> names;
      if (options.header()) {
        CsvRecords.Row header = records.next();
        if (header == null) {
          return;
        }
        if (header.error() != null) {
          throw new ImportException("The header row is not valid CSV: " + header.error());
        }
        names = header.fields();
      } else {
        if (options.columns().isEmpty()) {
          throw new ImportException("Without a header row, --columns must name the columns");
        }
        names = options.columns();
      }
      if (new HashSet<>(names).size() != names.size()) {
        throw new ImportException("Column names repeat: " + names);
      }
      int user = column(names, options.userColumn(), "--user-column");
      int event = column(names, options.eventColumn(), "--event-column");
      int time = column(names, options.timeColumn(), "--time-column");
      int id =
          options.idColumn() == null
              ? names.indexOf(DEFAULT_ID_COLUMN)
              : column(names, options.idColumn(), "--id-column");

      CsvRecords.Row row;
      while ((row = records.next()) != null) {
        rows++;
        if (row.error() != null) {
          reject(row.line(), new ItemError(400, "invalid_row", row.error(), null), row.raw());
        } else if (row.fields().size() != names.size()) {
          reject(
              row.line(),
              new ItemError(
                  400,
                  "invalid_row",
                  "Expected " + names.size() + " columns, found " + row.fields().size(),
                  null),
              row.raw());
        } else {
          List<String> fields = row.fields();
          ObjectNode node = nodes.objectNode();
          putText(node, "event_name", fields.get(event));
          putText(node, "user_identifier", fields.get(user));
          if (id >= 0) {
            putText(node, "event_id", fields.get(id));
          }
          ObjectNode metadata = nodes.objectNode();
          for (int i = 0; i < fields.size(); i++) {
            if (i != user && i != event && i != time && i != id && !fields.get(i).isEmpty()) {
              metadata.put(names.get(i), fields.get(i));
            }
          }
          if (!metadata.isEmpty()) {
            node.set("metadata", metadata);
          }
          String timeText = fields.get(time);
          handle(node, timeText.isEmpty() ? null : nodes.textNode(timeText), row.line(), row.raw());
        }
        if ((rows & 1023) == 0) {
          report();
        }
      }
    }

    private void putText(ObjectNode node, String field, String value) {
      if (!value.isEmpty()) {
        node.put(field, value);
      }
    }

    private int column(List<String> names, String name, String option) {
      int index = names.indexOf(name);
      if (index < 0) {
        throw new ImportException(
            "Column '" + name + "' (" + option + ") is not among the columns " + names);
      }
      return index;
    }

    // ---- NDJSON

    private void readNdjson(BufferedReader reader) throws IOException {
      String idName = options.idColumn() == null ? DEFAULT_ID_COLUMN : options.idColumn();
      String text;
      long line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        rows++;
        JsonNode doc;
        try {
          doc = parser.readBody(text.getBytes(StandardCharsets.UTF_8));
        } catch (ApiException e) {
          reject(line, new ItemError(400, e.error(), e.getMessage(), null), text);
          continue;
        }
        if (!doc.isObject()) {
          reject(
              line,
              new ItemError(400, "invalid_event", "An event must be a JSON object", null),
              text);
          continue;
        }
        ObjectNode node = nodes.objectNode();
        ObjectNode metadata = nodes.objectNode();
        JsonNode time = null;
        JsonNode nested = null;
        for (Map.Entry<String, JsonNode> field : doc.properties()) {
          String name = field.getKey();
          JsonNode value = field.getValue();
          if (name.equals(options.userColumn())) {
            node.set("user_identifier", value);
          } else if (name.equals(options.eventColumn())) {
            node.set("event_name", value);
          } else if (name.equals(options.timeColumn())) {
            time = value.isNull() ? null : value;
          } else if (name.equals(idName)) {
            if (!(value.isTextual() && value.textValue().isEmpty())) {
              node.set("event_id", value);
            }
          } else if (name.equals("metadata")) {
            nested = value;
          } else if (name.equals("sent_at")) {
            continue; // clock-skew correction is for live clients, not history
          } else if (!value.isNull()) {
            metadata.set(name, value);
          }
        }
        if (nested != null && !nested.isNull()) {
          if (nested.isObject()) {
            nested.properties().forEach(e -> metadata.set(e.getKey(), e.getValue()));
          } else {
            node.set("metadata", nested); // refused by the API's rule below
          }
        }
        if (!node.has("metadata") && !metadata.isEmpty()) {
          node.set("metadata", metadata);
        }
        handle(node, time, line, text);
        if ((rows & 1023) == 0) {
          report();
        }
      }
    }

    // ---- common

    /** Converts the time, validates with the API's rules, derives the id, queues the event. */
    private void handle(ObjectNode node, JsonNode time, long line, String raw) throws IOException {
      if (time == null) {
        reject(
            line,
            new ItemError(
                400,
                "missing_field",
                "The time column '"
                    + options.timeColumn()
                    + "' is empty; an imported row needs one",
                "timestamp"),
            raw);
        return;
      }
      JsonNode converted = convertTime(time);
      if (converted == null) {
        reject(
            line,
            new ItemError(
                400,
                "invalid_timestamp",
                "The time column '"
                    + options.timeColumn()
                    + "' must hold "
                    + (options.timeUnit().equals("s") ? "epoch seconds" : "epoch milliseconds")
                    + " (an integer)",
                "timestamp"),
            raw);
        return;
      }
      node.set("timestamp", converted);
      EventParser.Result result = parser.parseEvent(node, receivedAtMs);
      if (result instanceof EventParser.Invalid invalid) {
        reject(line, invalid.error(), raw);
        return;
      }
      IngestEvent event = ((EventParser.Valid) result).event();
      if (event.clientEventId() == null) {
        event =
            new IngestEvent(
                event.eventName(),
                event.userIdentifier(),
                event.metadataJson(),
                event.eventTimeMs(),
                event.receivedAtMs(),
                null,
                derivedId(event, rows));
      }
      chunk.add(event);
      if (chunk.size() >= options.batchSize()) {
        flushChunk();
      }
    }

    /**
     * The time as the API's {@code timestamp} (epoch ms or ISO text), or null if not an integer.
     */
    private JsonNode convertTime(JsonNode time) {
      String unit = options.timeUnit();
      if (time.isTextual()) {
        String text = time.textValue();
        if (unit.equals("iso")) {
          return time;
        }
        Long value = integer(text);
        if (value == null) {
          return unit.equals("auto") ? time : null;
        }
        time = nodes.numberNode(value);
      }
      if (unit.equals("s") && time.isIntegralNumber()) {
        if (!time.canConvertToLong()) {
          return null;
        }
        try {
          return nodes.numberNode(Math.multiplyExact(time.longValue(), 1000L));
        } catch (ArithmeticException e) {
          return null;
        }
      }
      return time; // numbers and other types: the API's rule decides
    }

    private Long integer(String text) {
      int start = text.startsWith("-") ? 1 : 0;
      if (text.length() == start || text.length() > 19 + start) {
        return null;
      }
      for (int i = start; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          return null;
        }
      }
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private String derivedId(IngestEvent event, long record) {
      sha256.reset();
      update(event.userIdentifier());
      update(event.eventName());
      update(Long.toString(event.eventTimeMs()));
      update(event.metadataJson() == null ? "" : event.metadataJson());
      update(Long.toString(record));
      byte[] digest = sha256.digest();
      // import-<record, 12 digits>-<128 bits hex>: the record number first, so one import's ids
      // ascend and land at the end of the unique index instead of at random places in it.
      char[] out = new char[ID_PREFIX.length() + 12 + 1 + 32];
      ID_PREFIX.getChars(0, ID_PREFIX.length(), out, 0);
      int p = ID_PREFIX.length() + 12;
      for (long r = record; p > ID_PREFIX.length(); r /= 10) {
        out[--p] = (char) ('0' + r % 10);
      }
      p = ID_PREFIX.length() + 12;
      out[p++] = '-';
      for (int i = 0; i < 16; i++) {
        out[p++] = HEX[(digest[i] >> 4) & 0xf];
        out[p++] = HEX[digest[i] & 0xf];
      }
      return new String(out);
    }

    private void update(String value) {
      sha256.update(value.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
    }

    private void reject(long line, ItemError error, String raw) throws IOException {
      rejected++;
      if (rejects == null) {
        try {
          rejects = Files.newBufferedWriter(rejectsPath, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new ImportException(
              "Cannot write the rejects file "
                  + rejectsPath
                  + " ("
                  + e
                  + "); choose one with --rejects",
              e);
        }
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("line", line);
      entry.put("error", error);
      entry.put("row", raw);
      rejects.write(json.writeValueAsString(entry));
      rejects.write('\n');
    }

    void closeRejects() {
      if (rejects != null) {
        try {
          rejects.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    private void flushChunk() {
      if (!chunk.isEmpty()) {
        put(chunk);
        chunk = new ArrayList<>(options.batchSize());
      }
    }

    private void put(List<IngestEvent> events) {
      try {
        while (!queue.offer(events, 100, TimeUnit.MILLISECONDS)) {
          if (failure.get() != null) {
            throw new ImportException(
                "Writing to the database failed: " + failure.get(), failure.get());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImportException("Interrupted", e);
      }
    }

    // ---- writing

    private void writeLoop() {
      try (Handle handle = jdbi.open();
          BatchWriter writer = new BatchWriter(handle.getConnection(), app.value(), clock)) {
        while (true) {
          List<IngestEvent> events = queue.take();
          if (events == END) {
            return;
          }
          write(writer, events);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }

    private void write(BatchWriter writer, List<IngestEvent> events) throws SQLException {
      for (int attempt = 1; ; attempt++) {
        try {
          int inserted = writer.write(events);
          stored.addAndGet(inserted);
          duplicates.addAndGet(events.size() - inserted);
          if (inserted > 0) {
            batches.incrementAndGet();
          }
          report();
          return;
        } catch (SQLException e) {
          if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) {
            throw e;
          }
        }
      }
    }
  }

  /** A deadlock (two writers, or a writer and live ingest, on the same keys): run it again. */
  private static boolean isRetryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransactionRollbackException) {
        return true;
      }
      if (t instanceof SQLException sql
          && (sql.getErrorCode() == 1213 || sql.getErrorCode() == 1205)) {
        return true;
      }
    }
    return false;
  }

  /** Counts the bytes read from the file, for progress on compressed input too. */
  private static final class CountingInputStream extends FilterInputStream {
    private volatile long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
