package io.tracetics.sharing;

import io.tracetics.dashboard.DashboardHeaders;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /s/{token}}: the page of a share link, without signing in. It draws the report with
 * the dashboard's chart code, reading {@code /api/v1/shared/{token}/report}; the page itself is the
 * same static file for every link (the script reads the token from its address), so nothing of a
 * link is written into markup. With {@code embed=1} it has no header or footer and may be framed by
 * {@code sharing.frameAncestors}; without, it may not be framed at all. A token that opens nothing
 * gets a plain 404 page.
 */
@Path("/s/{token}")
public class SharePageResource {
  static final String PAGE = "/io/tracetics/sharing/share.html";

  private static final byte[] NOT_FOUND =
      """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
      <title>Not found</title></head>
      <body><h1>Not found</h1><p>This shared report does not exist.</p></body></html>
      """
          .getBytes(StandardCharsets.UTF_8);

  private final SharedReportService reports;
  private final String embedPolicy;
  private final byte[] page;

  public SharePageResource(SharedReportService reports, String frameAncestors) {
    this.reports = reports;
    this.embedPolicy = DashboardHeaders.contentSecurityPolicy(frameAncestors);
    try (InputStream in = SharePageResource.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IllegalStateException(PAGE + " is missing from the classpath");
      }
      this.page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @Produces(MediaType.TEXT_HTML + ";charset=utf-8")
  public Response page(@PathParam("token") String token, @QueryParam("embed") String embed) {
    boolean framed = "1".equals(embed);
    Response.ResponseBuilder response =
        reports.exists(token)
            ? Response.ok(page.clone())
            : Response.status(404).entity(NOT_FOUND.clone());
    response.type(MediaType.TEXT_HTML + ";charset=utf-8");
    DashboardHeaders.ALL.forEach(
        (name, value) -> {
          if (!framed) {
            response.header(name, value);
          } else if (name.equals("Content-Security-Policy")) {
            response.header(name, embedPolicy);
          } else if (!name.equals("X-Frame-Options")) {
            // frame-ancestors says who may frame it; X-Frame-Options cannot name sites.
            response.header(name, value);
          }
        });
    return response
        .header("Cache-Control", "no-store")
        .header("X-Robots-Tag", "noindex, nofollow")
        .build();
  }
}
