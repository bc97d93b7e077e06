package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.errors.ApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
  private static final int MAX = 100_000;

  /** The whole body comes back whatever Content-Length says: the header is only a size hint. */
  @Test
  void readsTheWholeBodyWhateverTheDeclaredLength() {
    for (int size : new int[] {0, 1, 150, 1023, 1024, 1025, 4096, 65_535, 65_536, 65_537, MAX}) {
      byte[] body = bytes(size);
      for (String declared :
          new String[] {
            null,
            "",
            "abc",
            "-5",
            "0",
            "1",
            String.valueOf(size),
            String.valueOf(size + 1),
            String.valueOf(size * 3 + 7),
            "99999999999"
          }) {
        assertArrayEquals(
            body, read(trickle(body), null, declared), "size " + size + ", declared " + declared);
      }
    }
  }

  @Test
  void refusesOneByteOverTheLimitWhateverTheDeclaredLength() {
    byte[] body = bytes(MAX + 1);
    for (String declared : new String[] {null, "1", String.valueOf(MAX), String.valueOf(MAX + 1)}) {
      ApiException e =
          assertThrows(ApiException.class, () -> read(trickle(body), null, declared), declared);
      assertEquals(413, e.status());
      assertEquals("payload_too_large", e.error());
    }
  }

  @Test
  void inflatesGzipBodiesAndLimitsTheInflatedSize() throws IOException {
    byte[] body = bytes(MAX);
    byte[] gzipped = gzip(body);
    assertArrayEquals(
        body, read(new ByteArrayInputStream(gzipped), "gzip", String.valueOf(gzipped.length)));
    byte[] tooBig = gzip(new byte[MAX + 1]);
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> read(new ByteArrayInputStream(tooBig), "gzip", String.valueOf(tooBig.length)));
    assertEquals(413, e.status());
    assertEquals(
        "unsupported_content_encoding",
        assertThrows(ApiException.class, () -> read(new ByteArrayInputStream(body), "br", null))
            .error());
  }

  private static byte[] read(InputStream in, String encoding, String declared) {
    return RequestBodies.read(new RequestBodies.Body(in, encoding, declared), MAX);
  }

  private static byte[] bytes(int size) {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    return body;
  }

  /** A stream that hands out at most 7 bytes per read, as a network stream may. */
  private static InputStream trickle(byte[] body) {
    return new ByteArrayInputStream(body) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 7));
      }
    };
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }
}
