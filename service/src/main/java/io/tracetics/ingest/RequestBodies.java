package io.tracetics.ingest;

import io.tracetics.errors.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.eclipse.jetty.io.EofException;

/**
 * Reads a request body of at most {@code maxBytes} after decompression. Jetty's gzip handler
 * inflates {@code Content-Encoding: gzip} bodies as a stream; a body that still carries the gzip
 * magic is inflated here. Either way only {@code maxBytes + 1} inflated bytes are ever read, so a
 * gzip bomb costs at most that much memory before it is refused with 413.
 */
public final class RequestBodies {
  /** Initial buffer of a body whose length the request does not declare (or declares wrongly). */
  private static final int UNKNOWN_LENGTH_BUFFER = 1024;

  /**
   * The most a declared length may make us allocate before the bytes arrive: a client that declares
   * 1 MB and then sends slowly holds no more than this until it does send; a longer body grows the
   * buffer as it comes.
   */
  private static final int MAX_DECLARED_BUFFER = 64 * 1024;

  private RequestBodies() {}

  /**
   * A request's body as the resource got it.
   *
   * @param stream the body, possibly already inflated by Jetty
   * @param contentEncoding the {@code Content-Encoding} header, or null
   * @param contentLength the {@code Content-Length} header, or null: only a hint for the buffer
   *     size (it is the compressed length of a gzip body), never trusted as the body's length
   */
  public record Body(InputStream stream, String contentEncoding, String contentLength) {}

  public static byte[] read(Body body, int maxBytes) {
    String contentEncoding = body.contentEncoding();
    String encoding =
        contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (!encoding.isEmpty() && !encoding.equals("identity") && !encoding.equals("gzip")) {
      throw new ApiException(
          415,
          "unsupported_content_encoding",
          "Content-Encoding must be gzip or absent, got '" + contentEncoding + "'");
    }
    try {
      InputStream in = body.stream() == null ? InputStream.nullInputStream() : body.stream();
      if (encoding.equals("gzip")) {
        PushbackInputStream peek = new PushbackInputStream(in, 2);
        byte[] magic = peek.readNBytes(2);
        peek.unread(magic);
        boolean gzipped =
            magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        in = gzipped ? new GZIPInputStream(peek, 8192) : peek;
      }
      return readAll(in, initialBuffer(body.contentLength(), maxBytes), maxBytes);
    } catch (ZipException e) {
      throw ApiException.badRequest("invalid_gzip", "Request body is not valid gzip data");
    } catch (EofException e) {
      throw ApiException.badRequest("incomplete_request", "Request body ended early");
    } catch (IOException e) {
      if (e.getCause() instanceof ZipException
          || e.getMessage() != null && e.getMessage().contains("gzip")) {
        throw ApiException.badRequest("invalid_gzip", "Request body is not valid gzip data");
      }
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads {@code in} to its end into one array that starts at {@code initial} bytes and doubles: a
   * body of the declared length is read with no copy at all, and a small body does not pay for
   * large buffers.
   */
  private static byte[] readAll(InputStream in, int initial, int maxBytes) throws IOException {
    byte[] buffer = new byte[initial];
    int total = 0;
    while (true) {
      if (total == buffer.length) {
        // Full: one more byte tells the end of the body from a body longer than the buffer.
        int next = in.read();
        if (next == -1) {
          return buffer;
        }
        if (total + 1 > maxBytes) {
          throw tooLarge(maxBytes);
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min(2L * buffer.length, maxBytes + 1L));
        buffer[total++] = (byte) next;
      }
      int n = in.read(buffer, total, buffer.length - total);
      if (n == -1) {
        return Arrays.copyOf(buffer, total);
      }
      total += n;
      if (total > maxBytes) {
        throw tooLarge(maxBytes);
      }
    }
  }

  private static int initialBuffer(String contentLength, int maxBytes) {
    if (contentLength != null) {
      try {
        long declared = Long.parseLong(contentLength.trim());
        if (declared > 0) {
          return (int) Math.min(declared, Math.min(MAX_DECLARED_BUFFER, maxBytes + 1L));
        }
      } catch (NumberFormatException e) {
        // Jetty refuses a malformed Content-Length before this; the hint is just not used.
      }
    }
    return UNKNOWN_LENGTH_BUFFER;
  }

  static ApiException tooLarge(int maxBytes) {
    return new ApiException(
        413,
        "payload_too_large",
        "Request body is larger than "
            + maxBytes
            + " bytes (after decompression); nothing was stored",
        Map.of("max_bytes", maxBytes, "max_events", EventParser.MAX_BATCH_EVENTS));
  }
}
