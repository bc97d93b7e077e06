package io.tracetics.sharing;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code GET /api/v1/shared/{token}/report}: a share link's report, without signing in (the token
 * is the credential). Query parameters are the report parameters the link lets viewers change.
 */
@Path("/api/v1/shared/{token}/report")
@Produces(MediaType.APPLICATION_JSON)
public class SharedReportResource {
  private final SharedReportService reports;

  public SharedReportResource(SharedReportService reports) {
    this.reports = reports;
  }

  @GET
  @Timed
  @ExceptionMetered
  public Response report(@PathParam("token") String token, @Context UriInfo uri) {
    return Response.ok(reports.report(token, uri.getQueryParameters()))
        // A revoked link must not live on in a cache; the URL carries the token.
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Robots-Tag", "noindex, nofollow")
        .build();
  }
}
