package io.tracetics.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /api/docs}: the API reference's page (no credentials; the document is public). */
@Path(ApiDocs.PATH)
public class ApiDocsResource {
  private final byte[] page;

  public ApiDocsResource() {
    try (InputStream in =
        ApiDocsResource.class.getResourceAsStream(ApiDocs.ASSETS + "/index.html")) {
      if (in == null) {
        throw new IllegalStateException(
            ApiDocs.ASSETS + "/index.html is missing from the classpath");
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
    ApiDocsHeaders.ALL.forEach(response::header);
    return response.header("Cache-Control", "no-cache").build();
  }
}
