package io.tracetics.importer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;

/**
 * The rows of a CSV or NDJSON file: the file's text ({@link SourceFile}: gzip, UTF-8, byte-order
 * mark) mapped row by row by the format's {@link RowMapper}.
 */
final class FileRows implements RowSource, AutoCloseable {
  private final ImportOptions options;
  private final SourceFile file;
  private long rows;

  private FileRows(ImportOptions options, SourceFile file) {
    this.options = options;
    this.file = file;
  }

  /** Opens the file; an {@link ImportException} when there is none. */
  static FileRows open(ImportOptions options) throws IOException {
    return new FileRows(options, SourceFile.open(options.file()));
  }

  @Override
  public double fractionRead() {
    return file.fractionRead();
  }

  @Override
  public void read(Sink sink) throws IOException {
    try (Reader text = file.text()) {
      RowMapper mapper = RowMapper.open(text, options);
      MappedRow row;
      while ((row = mapper.next()) != null) {
        rows++;
        row.deliverTo(sink);
      }
    } catch (CharacterCodingException e) {
      throw new ImportException(
          "The file is not valid UTF-8 (after row "
              + rows
              + "); rows before it may have been stored. Fix the file and run the import"
              + " again: rows already stored are skipped");
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
