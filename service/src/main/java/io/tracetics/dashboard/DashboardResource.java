package io.tracetics.dashboard;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /}: the dashboard's page. Its scripts, styles and images are static files under {@code
 * /dashboard/} (served by the assets bundle); the page signs in with a management token and then
 * calls the same API as everyone else.
 */
@Path("/")
public class DashboardResource {
  public static final String ASSETS = "/io/tracetics/dashboard/assets";

  private final byte[] page;

  public DashboardResource() {
    try (InputStream in = DashboardResource.class.getResourceAsStream(ASSETS + "/index.html")) {
      if (in == null) {
        throw new IllegalStateException(ASSETS + "/index.html is missing from the classpath");
      }
      this.page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @Produces(MediaType.TEXT_HTML + ";charset=utf-8")
  public Response page() {
    Response.ResponseBuilder response = Response.ok(page.clone());
    DashboardHeaders.ALL.forEach(response::header);
    return response.header("Cache-Control", "no-cache").build();
  }
}
