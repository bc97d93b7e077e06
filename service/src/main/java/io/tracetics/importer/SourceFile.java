package io.tracetics.importer;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A file to import, read as text: gzip is detected by its magic bytes (not the file name), the
 * bytes must be UTF-8 (a malformed sequence fails the read with a {@link
 * java.nio.charset.CharacterCodingException} instead of becoming a replacement character), and a
 * leading byte-order mark is skipped. Counts the file's bytes read, so progress also works for
 * compressed input.
 */
final class SourceFile implements AutoCloseable {
  private static final int BUFFER = 1 << 16;

  private final long size;
  private final CountingInputStream counted;

  private SourceFile(long size, CountingInputStream counted) {
    this.size = size;
    this.counted = counted;
  }

  /** Opens the file; an {@link ImportException} when there is none. */
  static SourceFile open(Path file) throws IOException {
    try {
      long size = Math.max(1, Files.size(file));
      return new SourceFile(size, new CountingInputStream(Files.newInputStream(file)));
    } catch (NoSuchFileException e) {
      throw new ImportException("No such file: " + file);
    }
  }

  /** The file's text; call once. */
  Reader text() throws IOException {
    return decode(counted);
  }

  /** The share of the file's bytes read so far, 0..1 (called from any thread). */
  double fractionRead() {
    return Math.min(1.0, counted.count() / (double) size);
  }

  @Override
  public void close() throws IOException {
    counted.close();
  }

  /** The text of the bytes: gunzipped when they start with gzip's magic, strict UTF-8, no BOM. */
  static Reader decode(InputStream raw) throws IOException {
    InputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      in = new GZIPInputStream(in, BUFFER);
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

  /** Counts the bytes read from the file. */
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
