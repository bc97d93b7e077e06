package io.tracetics.actors;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tracetics.engine.exec.Actor;
import io.tracetics.engine.exec.ActorList;
import io.tracetics.engine.store.Watermark;
import io.tracetics.explore.CsvField;
import io.tracetics.explore.ExploreResource;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Stream an {@link ActorAnswer} as JSON, CSV or an Arrow IPC stream, person by person as DuckDB
 * produces them, and close its list when done (which ends its read transaction).
 */
public final class ActorWriters {
  private ActorWriters() {}

  /** All three, for registration with Jersey. */
  public static List<Object> all() {
    return List.of(new Json(), new Csv(), new Arrow());
  }

  private interface Format {
    void write(ActorAnswer answer, OutputStream out) throws IOException;
  }

  private abstract static class Base implements MessageBodyWriter<ActorAnswer> {
    private final Format format;

    Base(Format format) {
      this.format = format;
    }

    @Override
    public boolean isWriteable(
        Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
      return ActorAnswer.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(
        ActorAnswer answer,
        Class<?> type,
        Type genericType,
        Annotation[] annotations,
        MediaType mediaType,
        MultivaluedMap<String, Object> httpHeaders,
        OutputStream out)
        throws IOException {
      try (ActorList list = answer.list()) {
        format.write(answer, out);
      }
    }
  }

  /**
   * {@code {"actors": [{"user_identifier", "entered_at", "reached_step", "step_times"}], "total",
   * "next_cursor", "watermark", "computed_at"}}.
   */
  @Produces(MediaType.APPLICATION_JSON)
  static final class Json extends Base {
    private static final JsonFactory JSON = new JsonFactory();

    Json() {
      super(Json::write);
    }

    private static void write(ActorAnswer answer, OutputStream out) throws IOException {
      ActorList list = answer.list();
      try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
        json.writeStartObject();
        json.writeArrayFieldStart("actors");
        while (list.next()) {
          Actor a = list.actor();
          json.writeStartObject();
          json.writeStringField("user_identifier", a.userIdentifier());
          json.writeStringField("entered_at", a.enteredAt());
          json.writeNumberField("reached_step", a.reachedStep());
          json.writeArrayFieldStart("step_times");
          for (String t : a.stepTimes()) {
            json.writeString(t);
          }
          json.writeEndArray();
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeNumberField("total", list.total());
        String next = answer.nextCursor();
        if (next == null) {
          json.writeNullField("next_cursor");
        } else {
          json.writeStringField("next_cursor", next);
        }
        json.writeObjectFieldStart("watermark");
        Watermark w = list.watermark();
        json.writeNumberField("events", w.eventCount());
        if (w.maxEventId().isPresent()) {
          json.writeNumberField("max_event_id", w.maxEventId().getAsLong());
        } else {
          json.writeNullField("max_event_id");
        }
        json.writeNumberField("load_position", answer.loadPosition());
        json.writeNumberField("identity_version", w.identityVersion());
        json.writeEndObject();
        json.writeStringField("computed_at", list.computedAt().toString());
        json.writeEndObject();
      }
    }
  }

  /**
   * RFC 4180 CSV with a header row: {@code user_identifier, entered_at, reached_step}, then one
   * column per step ({@code step_<k>_at}, empty when not reached). Size, cursor and watermark are
   * in the headers.
   */
  @Produces(ExploreResource.CSV)
  static final class Csv extends Base {
    Csv() {
      super(Csv::write);
    }

    private static void write(ActorAnswer answer, OutputStream out) throws IOException {
      Writer csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      csv.write("user_identifier,entered_at,reached_step");
      int steps = answer.stepNames().size();
      for (int k = 0; k < steps; k++) {
        csv.write(",step_" + k + "_at");
      }
      csv.write("\r\n");
      ActorList list = answer.list();
      while (list.next()) {
        Actor a = list.actor();
        csv.write(a.userIdentifier() == null ? "" : CsvField.of(a.userIdentifier()));
        csv.write(',');
        csv.write(a.enteredAt());
        csv.write(',');
        csv.write(Integer.toString(a.reachedStep()));
        List<String> times = a.stepTimes();
        for (int k = 0; k < steps; k++) {
          csv.write(',');
          if (k < times.size()) {
            csv.write(times.get(k));
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
      super((answer, out) -> answer.list().writeArrow(out));
    }
  }
}
