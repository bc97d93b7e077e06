package io.tracetics.importer;

import java.nio.file.Path;
import java.util.List;

/**
 * What to import and how the file's columns map onto events.
 *
 * @param appId the tracked app the events belong to
 * @param file a CSV or NDJSON file, optionally gzip-compressed
 * @param format {@code csv} or {@code ndjson}; null picks by the file name ({@code .ndjson}, {@code
 *     .jsonl}, {@code .json} before an optional {@code .gz}) and otherwise CSV
 * @param preset a tool's export format ({@link ImportPreset}), read as NDJSON with the tool's own
 *     mapping instead of the column options below; null for the column options
 * @param userColumn the column holding the user identifier; in NDJSON, a dotted path reaches into
 *     nested objects ({@link FieldPath}), as for the event, time, id and metadata columns
 * @param eventColumn the column holding the event name
 * @param timeColumn the column holding the event time
 * @param timeUnit how to read the time: {@code s} or {@code ms} (epoch integers), {@code iso}
 *     (ISO-8601 with an offset), {@code auto} (an integer is epoch milliseconds, text is ISO-8601,
 *     exactly like the API)
 * @param idColumn the column holding a client event id; null means {@code event_id} when the file
 *     has that column, else an id derived per row
 * @param header whether the CSV's first row names the columns
 * @param columns the column names of a CSV without a header row (ignored with a header)
 * @param rejects where rejected rows are written; null means {@code <file>.rejects.ndjson}
 * @param batchSize rows per transaction (one {@code ingest_batches} row each)
 * @param writers writer threads (one database connection each)
 */
public record ImportOptions(
    long appId,
    Path file,
    String format,
    ImportPreset preset,
    String userColumn,
    String eventColumn,
    String timeColumn,
    String timeUnit,
    String idColumn,
    String metadataColumn,
    boolean header,
    List<String> columns,
    Path rejects,
    int batchSize,
    int writers) {

  public static final String DEFAULT_USER_COLUMN = "user_identifier";
  public static final String DEFAULT_EVENT_COLUMN = "event_name";
  public static final String DEFAULT_TIME_COLUMN = "timestamp";
  public static final String DEFAULT_METADATA_COLUMN = "metadata";
  public static final int DEFAULT_BATCH_SIZE = 5_000;
  public static final int DEFAULT_WRITERS = 2;

  public ImportOptions {
    if (timeUnit == null) {
      timeUnit = "auto";
    }
    if (!List.of("s", "ms", "iso", "auto").contains(timeUnit)) {
      throw new IllegalArgumentException("--time-unit must be s, ms, iso or auto");
    }
    if (format != null && !List.of("csv", "ndjson").contains(format)) {
      throw new IllegalArgumentException("--format must be csv or ndjson");
    }
    if (userColumn == null) {
      userColumn = DEFAULT_USER_COLUMN;
    }
    if (eventColumn == null) {
      eventColumn = DEFAULT_EVENT_COLUMN;
    }
    if (timeColumn == null) {
      timeColumn = DEFAULT_TIME_COLUMN;
    }
    if (preset != null && "csv".equals(format)) {
      throw new IllegalArgumentException("--preset reads NDJSON; --format csv does not apply");
    }
    if (metadataColumn != null
        && !metadataColumn.equals(DEFAULT_METADATA_COLUMN)
        && preset == null
        && effectiveFormat(format, file).equals("csv")) {
      throw new IllegalArgumentException(
          "--metadata-column names an object of NDJSON records; a CSV has none");
    }
    if (metadataColumn == null) {
      metadataColumn = DEFAULT_METADATA_COLUMN;
    }
    columns = columns == null ? List.of() : List.copyOf(columns);
    checkBatching(batchSize, writers);
  }

  /** The limits of rows per transaction and of writer connections, for any row source. */
  public static void checkBatching(int batchSize, int writers) {
    if (batchSize < 1 || batchSize > 50_000) {
      throw new IllegalArgumentException("--batch-size must be 1..50000");
    }
    if (writers < 1 || writers > 8) {
      throw new IllegalArgumentException("--writers must be 1..8");
    }
  }

  /** Defaults for everything but the app and the file. */
  public static ImportOptions of(long appId, Path file) {
    return new ImportOptions(
        appId,
        file,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        true,
        List.of(),
        null,
        DEFAULT_BATCH_SIZE,
        DEFAULT_WRITERS);
  }

  public ImportOptions withFormat(String value) {
    return new ImportOptions(
        appId,
        file,
        value,
        preset,
        userColumn,
        eventColumn,
        timeColumn,
        timeUnit,
        idColumn,
        metadataColumn,
        header,
        columns,
        rejects,
        batchSize,
        writers);
  }

  public ImportOptions withPreset(ImportPreset value) {
    return new ImportOptions(
        appId,
        file,
        format,
        value,
        userColumn,
        eventColumn,
        timeColumn,
        timeUnit,
        idColumn,
        metadataColumn,
        header,
        columns,
        rejects,
        batchSize,
        writers);
  }

  public ImportOptions withMapping(String user, String event, String time, String unit) {
    return new ImportOptions(
        appId,
        file,
        format,
        preset,
        user,
        event,
        time,
        unit,
        idColumn,
        metadataColumn,
        header,
        columns,
        rejects,
        batchSize,
        writers);
  }

  public ImportOptions withIdColumn(String value) {
    return new ImportOptions(
        appId,
        file,
        format,
        preset,
        userColumn,
        eventColumn,
        timeColumn,
        timeUnit,
        value,
        metadataColumn,
        header,
        columns,
        rejects,
        batchSize,
        writers);
  }

  public ImportOptions withMetadataColumn(String value) {
    return new ImportOptions(
        appId,
        file,
        format,
        preset,
        userColumn,
        eventColumn,
        timeColumn,
        timeUnit,
        idColumn,
        value,
        header,
        columns,
        rejects,
        batchSize,
        writers);
  }

  public ImportOptions withoutHeader(List<String> names) {
    return new ImportOptions(
        appId,
        file,
        format,
        preset,
        userColumn,
        eventColumn,
        timeColumn,
        timeUnit,
        idColumn,
        metadataColumn,
        false,
        names,
        rejects,
        batchSize,
        writers);
  }

  public ImportOptions withRejects(Path value) {
    return new ImportOptions(
        appId,
        file,
        format,
        preset,
        userColumn,
        eventColumn,
        timeColumn,
        timeUnit,
        idColumn,
        metadataColumn,
        header,
        columns,
        value,
        batchSize,
        writers);
  }

  public ImportOptions withBatching(int rows, int threads) {
    return new ImportOptions(
        appId,
        file,
        format,
        preset,
        userColumn,
        eventColumn,
        timeColumn,
        timeUnit,
        idColumn,
        metadataColumn,
        header,
        columns,
        rejects,
        rows,
        threads);
  }

  /** The rejects file actually used. */
  public Path rejectsFile() {
    return rejects != null ? rejects : file.resolveSibling(file.getFileName() + ".rejects.ndjson");
  }

  /** The format actually used: a preset's files are NDJSON. */
  public String effectiveFormat() {
    return preset != null ? "ndjson" : effectiveFormat(format, file);
  }

  private static String effectiveFormat(String format, Path file) {
    if (format != null) {
      return format;
    }
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    return name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json")
        ? "ndjson"
        : "csv";
  }
}
