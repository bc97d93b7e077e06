package io.tracetics.explore;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dropwizard.auth.Auth;
import io.tracetics.engine.explore.ExploreException;
import io.tracetics.engine.explore.ExploreResult;
import io.tracetics.engine.explore.ReadOnlySqlRunner;
import io.tracetics.errors.ApiException;
import io.tracetics.errors.RetryableApiException;
import io.tracetics.tenancy.AppId;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tenants' SQL over one of their apps' events: {@code POST /api/v1/apps/{app_id}/sql} with {@code
 * {"query": "SELECT ..."}}. The answer streams as JSON (default), CSV or an Arrow IPC stream,
 * chosen by {@code Accept}. Limits and refusals: {@link ReadOnlySqlRunner}; README "Explore with
 * SQL".
 */
@Path("/api/v1/apps/{app_id}/sql")
public class ExploreResource {
  public static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
  public static final String CSV = "text/csv";
  public static final MediaType ARROW_TYPE = MediaType.valueOf(ARROW_STREAM);
  public static final MediaType CSV_TYPE = MediaType.valueOf(CSV + ";charset=utf-8");

  /** Always sent: the row cap in force. */
  public static final String ROW_LIMIT_HEADER = "X-Tracetics-Row-Limit";

  /** CSV and Arrow: an HTTP trailer ({@code true}/{@code false}) sent after the last row. */
  public static final String TRUNCATED_TRAILER = "X-Tracetics-Truncated";

  private static final JsonFactory JSON = new JsonFactory();

  private final AppService apps;
  private final ReadOnlySqlRunner runner;

  public ExploreResource(AppService apps, ReadOnlySqlRunner runner) {
    this.apps = apps;
    this.runner = runner;
  }

  @POST
  @Timed
  @ExceptionMetered
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, CSV, ARROW_STREAM})
  public Response query(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId appId,
      @NotNull @Valid ExploreRequest request,
      @Context HttpHeaders headers,
      @Context HttpServletResponse servletResponse) {
    apps.get(tenant.tenantId(), appId); // 404 for another tenant's app
    MediaType format = choose(headers);
    ExploreResult result;
    try {
      result = runner.open(appId.value(), request.query());
    } catch (ExploreException e) {
      throw toApi(e);
    }
    AtomicBoolean truncated = new AtomicBoolean();
    StreamingOutput body;
    if (format == ARROW_TYPE || format == CSV_TYPE) {
      announceTrailer(servletResponse, truncated);
      body =
          out ->
              stream(
                  result,
                  () -> {
                    if (format == ARROW_TYPE) {
                      result.writeArrow(out);
                    } else {
                      writeCsv(result, out);
                    }
                    truncated.set(result.truncated());
                  });
    } else {
      body = out -> stream(result, () -> writeJson(result, out));
    }
    Response.ResponseBuilder response =
        Response.ok(body, format).header(ROW_LIMIT_HEADER, runner.limits().maxRows());
    if (format != MediaType.APPLICATION_JSON_TYPE) {
      response.header("Trailer", TRUNCATED_TRAILER);
    }
    return response.build();
  }

  private interface Writing {
    void run() throws IOException;
  }

  /** Runs the writing and always closes the result (which stops the query and frees its slot). */
  private static void stream(ExploreResult result, Writing writing) throws IOException {
    try (result) {
      writing.run();
    } catch (ExploreException e) {
      // Before the first bytes leave, this becomes a normal error response; after, the
      // connection is cut, so a client never mistakes a partial answer for a whole one.
      throw toApi(e);
    }
  }

  private static void announceTrailer(HttpServletResponse response, AtomicBoolean truncated) {
    if (response == null) {
      return;
    }
    try {
      response.setTrailerFields(() -> Map.of(TRUNCATED_TRAILER, Boolean.toString(truncated.get())));
    } catch (IllegalStateException e) {
      // HTTP/1.0 has no trailers; the row count against X-Tracetics-Row-Limit still tells.
    }
  }

  static MediaType choose(HttpHeaders headers) {
    for (MediaType accepted : headers.getAcceptableMediaTypes()) {
      if (accepted.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
        return MediaType.APPLICATION_JSON_TYPE;
      }
      if (accepted.isCompatible(ARROW_TYPE)) {
        return ARROW_TYPE;
      }
      if (accepted.isCompatible(CSV_TYPE)) {
        return CSV_TYPE;
      }
    }
    return MediaType.APPLICATION_JSON_TYPE;
  }

  static ApiException toApi(ExploreException e) {
    if (e.kind() == ExploreException.Kind.BUSY) {
      return new RetryableApiException(429, e.kind().key(), e.getMessage(), 1, Map.of());
    }
    return ApiException.badRequest(e.kind().key(), e.getMessage());
  }

  private static void writeJson(ExploreResult result, OutputStream out) throws IOException {
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

  private static void writeCsv(ExploreResult result, OutputStream out) throws IOException {
    Writer csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    int width = result.columns().size();
    for (int i = 0; i < width; i++) {
      if (i > 0) {
        csv.write(',');
      }
      csv.write(csvField(result.columns().get(i).name()));
    }
    csv.write("\r\n");
    while (result.next()) {
      for (int i = 0; i < width; i++) {
        if (i > 0) {
          csv.write(',');
        }
        String text = result.text(i);
        if (text != null) {
          csv.write(csvField(text));
        }
      }
      csv.write("\r\n");
    }
    csv.flush();
  }

  /**
   * RFC 4180: quoted when it holds a comma, quote, CR or LF (or is empty, to tell it from NULL).
   */
  static String csvField(String value) {
    if (value.isEmpty()
        || value.indexOf(',') >= 0
        || value.indexOf('"') >= 0
        || value.indexOf('\n') >= 0
        || value.indexOf('\r') >= 0) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}
