package io.tracetics.explore;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tracetics.engine.explore.ExploreException;
import io.tracetics.engine.explore.ExploreResult;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Stream an {@link ExploreAnswer} as JSON, CSV or an Arrow IPC stream, row by row as the query
 * produces them, and close its result when done (which stops the query and frees its slot).
 */
public final class ExploreWriters {
  private ExploreWriters() {}

  /** All three, for registration with Jersey. */
  public static List<Object> all() {
    return List.of(new Json(), new Csv(), new Arrow());
  }

  /** Writes the rows of one format. */
  private interface Format {
    void write(ExploreResult result, OutputStream out) throws IOException;
  }

  private abstract static class Base extends StreamingWriter<ExploreAnswer> {
    private final Format format;

    Base(Format format) {
      super(ExploreAnswer.class);
      this.format = format;
    }

    @Override
    protected void write(ExploreAnswer answer, OutputStream out) throws IOException {
      try (ExploreResult result = answer.result()) {
        format.write(result, out);
        answer.truncated().set(result.truncated());
      } catch (ExploreException e) {
        // Before the first bytes leave, this becomes a normal error response; after, the
        // connection is cut, so a client never mistakes a partial answer for a whole one.
        throw ExploreService.toApi(e);
      }
    }
  }

  /** {@code {"columns": [{"name", "type"}], "rows": [[...]], "row_count", "truncated", ...}}. */
  @Produces(MediaType.APPLICATION_JSON)
  static final class Json extends Base {
    private static final JsonFactory JSON = new JsonFactory();

    Json() {
      super(Json::write);
    }

    private static void write(ExploreResult result, OutputStream out) throws IOException {
      try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
        json.writeStartObject();
        json.writeArrayFieldStart("columns");
        for (ExploreResult.Column column : result.columns()) {
          json.writeStartObject();
          json.writeStringField("name", column.name());
          json.writeStringField("type", column.type());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("rows");
        int width = result.columns().size();
        while (result.next()) {
          json.writeStartArray();
          for (int i = 0; i < width; i++) {
            writeValue(json, result.value(i));
          }
          json.writeEndArray();
        }
        json.writeEndArray();
        json.writeNumberField("row_count", result.rowCount());
        json.writeBooleanField("truncated", result.truncated());
        json.writeNumberField("elapsed_ms", result.elapsedMillis());
        json.writeEndObject();
      }
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
      if (value == null) {
        json.writeNull();
      } else if (value instanceof Boolean b) {
        json.writeBoolean(b);
      } else if (value instanceof BigDecimal d) {
        json.writeNumber(d);
      } else if (value instanceof BigInteger i) {
        json.writeNumber(i);
      } else if (value instanceof Double d) {
        json.writeNumber(d);
      } else if (value instanceof Float f) {
        json.writeNumber(f);
      } else if (value instanceof Number n) {
        json.writeNumber(n.longValue());
      } else if (value instanceof ExploreResult.JsonText j) {
        json.writeRawValue(j.json());
      } else {
        json.writeString(value.toString());
      }
    }
  }

  /** RFC 4180 CSV with a header row; NULL is an empty field, an empty string {@code ""}. */
  @Produces(ExploreResource.CSV)
  static final class Csv extends Base {
    Csv() {
      super(Csv::write);
    }

    private static void write(ExploreResult result, OutputStream out) throws IOException {
      Writer csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      int width = result.columns().size();
      for (int i = 0; i < width; i++) {
        if (i > 0) {
          csv.write(',');
        }
        csv.write(CsvField.of(result.columns().get(i).name()));
      }
      csv.write("\r\n");
      while (result.next()) {
        for (int i = 0; i < width; i++) {
          if (i > 0) {
            csv.write(',');
          }
          String text = result.text(i);
          if (text != null) {
            csv.write(CsvField.of(text));
          }
        }
        csv.write("\r\n");
      }
      csv.flush();
    }
  }

  /** The Arrow IPC stream format, batch by batch. */
  @Produces(ExploreResource.ARROW_STREAM)
  static final class Arrow extends Base {
    Arrow() {
      super(ExploreResult::writeArrow);
    }
  }
}
