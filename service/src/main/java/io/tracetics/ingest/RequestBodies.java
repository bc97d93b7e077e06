package io.tracetics.ingest;

import io.tracetics.errors.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
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
final class RequestBodies {
  private RequestBodies() {}

  static byte[] read(InputStream raw, String contentEncoding, int maxBytes) {
    String encoding =
        contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (!encoding.isEmpty() && !encoding.equals("identity") && !encoding.equals("gzip")) {
      throw new ApiException(
          415,
          "unsupported_content_encoding",
          "Content-Encoding must be gzip or absent, got '" + contentEncoding + "'");
    }
    try {
      InputStream in = raw == null ? InputStream.nullInputStream() : raw;
      if (encoding.equals("gzip")) {
        PushbackInputStream peek = new PushbackInputStream(in, 2);
        byte[] magic = peek.readNBytes(2);
        peek.unread(magic);
        boolean gzipped =
            magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        in = gzipped ? new GZIPInputStream(peek, 8192) : peek;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      byte[] buffer = new byte[8192];
      int total = 0;
      int n;
      while ((n = in.read(buffer)) != -1) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge(maxBytes);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
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
