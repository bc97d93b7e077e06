package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFileTest {
  private static final byte[] BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

  private static String decode(byte[] bytes) throws IOException {
    try (Reader reader = SourceFile.decode(new ByteArrayInputStream(bytes))) {
      StringWriter out = new StringWriter();
      reader.transferTo(out);
      return out.toString();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void plainUtf8IsReadAsItIs() throws IOException {
    assertEquals("a,b\nü,€\n", decode(utf8("a,b\nü,€\n")));
    assertEquals("", decode(new byte[0]));
    assertEquals("x", decode(utf8("x"))); // shorter than the gzip magic
  }

  @Test
  void aByteOrderMarkIsSkippedOnlyAtTheStart() throws IOException {
    assertEquals("a\n", decode(concat(BOM, utf8("a\n"))));
    assertEquals("", decode(BOM));
    assertEquals("a\uFEFF", decode(concat(utf8("a"), BOM)));
  }

  @Test
  void gzipIsRecognisedByItsMagicBytes() throws IOException {
    assertEquals("a,b\n1,2\n", decode(gzip(utf8("a,b\n1,2\n"))));
    assertEquals("a\n", decode(gzip(concat(BOM, utf8("a\n")))));
    // Text that only starts like gzip's first byte is still text.
    assertEquals("\u001fx", decode(utf8("\u001fx")));
  }

  @Test
  void invalidUtf8FailsTheRead() {
    byte[] invalid = concat(utf8("ok\n"), new byte[] {(byte) 0xc3, (byte) 0x28}); // bad 2nd byte
    assertThrows(CharacterCodingException.class, () -> decode(invalid));
    assertThrows(CharacterCodingException.class, () -> decode(new byte[] {(byte) 0xff}));
    byte[] overlong = {(byte) 0xc0, (byte) 0xaf}; // '/' in two bytes
    assertThrows(CharacterCodingException.class, () -> decode(overlong));
  }

  @Test
  void invalidUtf8InsideGzipFailsTheRead() throws IOException {
    byte[] zipped = gzip(new byte[] {'a', (byte) 0xfe, 'b'});
    assertThrows(CharacterCodingException.class, () -> decode(zipped));
  }

  @Test
  void countsTheFilesBytesForProgress(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("events.csv.gz");
    Files.write(file, gzip(utf8("a\n".repeat(10_000))));
    try (SourceFile source = SourceFile.open(file)) {
      assertEquals(0.0, source.fractionRead());
      try (Reader text = source.text()) {
        text.transferTo(new StringWriter());
      }
      assertEquals(1.0, source.fractionRead());
    }
  }

  @Test
  void aMissingFileIsAnImportError(@TempDir Path dir) {
    ImportException e =
        assertThrows(ImportException.class, () -> SourceFile.open(dir.resolve("nope.csv")));
    assertEquals("No such file: " + dir.resolve("nope.csv"), e.getMessage());
  }
}
