package io.tracetics.explore;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.ids.AppId;
import io.tracetics.tenancy.RequiresScope;
import io.tracetics.tenancy.Scope;
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
import java.util.Map;

/**
 * Tenants' SQL over one of their apps' events: {@code POST /api/v1/apps/{app_id}/sql} with {@code
 * {"query": "SELECT ..."}}. The answer streams as JSON (default), CSV or an Arrow IPC stream,
 * chosen by {@code Accept} and written by {@link ExploreWriters}. Limits and refusals: {@link
 * io.tracetics.engine.explore.ReadOnlySqlRunner}; README "Explore with SQL".
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

  private final ExploreService explore;

  public ExploreResource(ExploreService explore) {
    this.explore = explore;
  }

  @POST
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.SQL_READ)
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, CSV, ARROW_STREAM})
  public Response query(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId appId,
      @NotNull @Valid ExploreRequest request,
      @Context HttpHeaders headers,
      @Context HttpServletResponse servletResponse) {
    MediaType format = choose(headers);
    ExploreAnswer answer = explore.open(tenant.tenantId(), appId, request.query());
    Response.ResponseBuilder response =
        Response.ok(answer, format).header(ROW_LIMIT_HEADER, explore.maxRows());
    if (format != MediaType.APPLICATION_JSON_TYPE) {
      announceTrailer(servletResponse, answer);
      response.header("Trailer", TRUNCATED_TRAILER);
    }
    return response.build();
  }

  private static void announceTrailer(HttpServletResponse response, ExploreAnswer answer) {
    if (response == null) {
      return;
    }
    try {
      response.setTrailerFields(
          () -> Map.of(TRUNCATED_TRAILER, Boolean.toString(answer.truncated().get())));
    } catch (IllegalStateException e) {
      // HTTP/1.0 has no trailers; the row count against X-Tracetics-Row-Limit still tells.
    }
  }

  /** The client's first acceptable format, in its order; JSON when it takes anything. */
  public static MediaType choose(HttpHeaders headers) {
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
}
