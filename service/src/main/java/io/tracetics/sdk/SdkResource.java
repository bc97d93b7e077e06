package io.tracetics.sdk;

import com.codahale.metrics.annotation.Timed;
import io.tracetics.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The TypeScript SDK for {@code <script>} tags: {@code GET /sdk/tracetics.js} (always this server's
 * version; cached for minutes, then revalidated by ETag) and {@code GET
 * /sdk/tracetics-<version>.js} (this version only; cached for a year as immutable, for pages that
 * pin a version, with Subresource Integrity if they like). No credentials: pages of any origin load
 * it, so it carries {@code Access-Control-Allow-Origin: *} (for {@code crossorigin} script tags and
 * integrity checks) and {@code Cross-Origin-Resource-Policy: cross-origin} (for pages that require
 * it of every subresource).
 */
@Path("/sdk")
public class SdkResource {
  public static final String CONTENT_TYPE = "text/javascript; charset=utf-8";
  static final String LATEST_CACHE = "public, max-age=300";
  static final String VERSIONED_CACHE = "public, max-age=31536000, immutable";

  private final SdkBundle bundle;

  public SdkResource(SdkBundle bundle) {
    this.bundle = bundle;
  }

  @GET
  @Path("tracetics.js")
  @Produces(CONTENT_TYPE)
  @Timed
  public Response latest(@Context Request request) {
    return script(request, LATEST_CACHE);
  }

  @GET
  @Path("tracetics-{version}.js")
  @Produces(CONTENT_TYPE)
  @Timed
  public Response versioned(@PathParam("version") String version, @Context Request request) {
    if (!bundle.version().equals(version)) {
      throw new ApiException(
          404,
          "sdk_version_not_found",
          "This server serves tracetics-sdk "
              + bundle.version()
              + " only: /sdk/"
              + bundle.versionedName()
              + " (or /sdk/tracetics.js, whatever its version)",
          Map.of("version", bundle.version()));
    }
    return script(request, VERSIONED_CACHE);
  }

  private Response script(Request request, String cacheControl) {
    EntityTag etag = EntityTag.valueOf(bundle.etag());
    Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
    Response.ResponseBuilder response =
        notModified != null ? notModified : Response.ok(bundle.bytes(), CONTENT_TYPE).tag(etag);
    return response
        .header("Cache-Control", cacheControl)
        .header("X-Content-Type-Options", "nosniff")
        .header("Access-Control-Allow-Origin", "*")
        .header("Cross-Origin-Resource-Policy", "cross-origin")
        .header("X-Tracetics-Sdk-Version", bundle.version())
        .build();
  }
}
