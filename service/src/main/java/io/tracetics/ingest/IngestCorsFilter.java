package io.tracetics.ingest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;

/**
 * CORS for the ingest endpoints only, native and Segment-compatible (browsers send events; every
 * other endpoint needs a secret and is not meant to be called from web pages). Any origin may send:
 * the keys travel in headers, not cookies, so no credentials are involved. Errors carry the headers
 * too, so a page can read them.
 */
public final class IngestCorsFilter implements ContainerResponseFilter {
  static final String ALLOWED_HEADERS =
      "X-OL-Tenant-Key, X-OL-App-Key, Content-Type, Content-Encoding";
  static final String MAX_AGE_SECONDS = "86400";

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    String path = request.getUriInfo().getPath();
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.equals("api/v1/events")
        || path.startsWith("api/v1/events/")
        || path.equals("api/v1/identify")
        || path.startsWith("v1/")) {
      var headers = response.getHeaders();
      headers.putSingle("Access-Control-Allow-Origin", "*");
      headers.putSingle(
          "Access-Control-Expose-Headers",
          "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset");
    }
  }

  public static Response preflight() {
    return Response.noContent()
        .header("Access-Control-Allow-Origin", "*")
        .header("Access-Control-Allow-Methods", "POST, OPTIONS")
        .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
        .header("Access-Control-Max-Age", MAX_AGE_SECONDS)
        .build();
  }
}
