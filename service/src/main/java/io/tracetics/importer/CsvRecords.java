package io.tracetics.importer;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC-4180 CSV records: comma-separated, fields optionally in double quotes (a quote inside a
 * quoted field is doubled), quoted fields may hold commas and line breaks, records end with LF or
 * CRLF. Blank lines are skipped. Each record keeps its raw text (for the rejects file) and the
 * physical line it starts on. A record whose quoting is broken is still returned, with {@code
 * error} set, so the importer can reject just that row.
 */
final class CsvRecords {
  /**
   * One record: its first physical line (1-based), raw text, fields, and a syntax error or null.
   */
  record Row(long line, String raw, List<String> fields, String error) {}

  private final Reader in;
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int len;
  private boolean eof;
  private long line = 1;
  private final StringBuilder field = new StringBuilder();
  private final StringBuilder raw = new StringBuilder();

  CsvRecords(Reader in) {
    this.in = in;
  }

  private int read() throws IOException {
    if (pos == len && !fill()) {
      return -1;
    }
    return buf[pos++];
  }

  private int peek() throws IOException {
    if (pos == len && !fill()) {
      return -1;
    }
    return buf[pos];
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      len = 0;
      pos = 0;
      return false;
    }
    len = n;
    pos = 0;
    return true;
  }

  /** The next record, or null at the end of the input. */
  Row next() throws IOException {
    while (!eof) {
      long start = line;
      List<String> fields = new ArrayList<>();
      field.setLength(0);
      raw.setLength(0);
      boolean quoted = false;
      boolean afterQuote = false;
      String error = null;
      while (true) {
        int c = read();
        if (c == -1) {
          eof = true;
          if (quoted) {
            error = "A quoted field is not closed before the end of the file";
          }
          break;
        }
        char ch = (char) c;
        if (quoted) {
          raw.append(ch);
          if (ch == '"') {
            if (peek() == '"') {
              read();
              raw.append('"');
              field.append('"');
            } else {
              quoted = false;
              afterQuote = true;
            }
          } else {
            if (ch == '\n') {
              line++;
            }
            field.append(ch);
          }
          continue;
        }
        if (ch == '\n') {
          line++;
          if (raw.length() > 0 && raw.charAt(raw.length() - 1) == '\r') {
            raw.setLength(raw.length() - 1);
            if (!afterQuote && field.length() > 0) {
              field.setLength(field.length() - 1);
            }
          }
          break;
        }
        raw.append(ch);
        if (ch == ',') {
          fields.add(field.toString());
          field.setLength(0);
          afterQuote = false;
        } else if (afterQuote) {
          if (ch != '\r' && error == null) {
            error = "Unexpected character after a closing quote";
          }
        } else if (ch == '"' && field.length() == 0) {
          quoted = true;
        } else {
          field.append(ch);
        }
      }
      if (raw.length() == 0) {
        continue; // a blank line (or the end of the file)
      }
      fields.add(field.toString());
      return new Row(start, raw.toString(), fields, error);
    }
    return null;
  }
}
