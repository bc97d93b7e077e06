package io.tracetics.segment;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;

/**
 * Answers browsers' CORS preflight for every Segment-compatible path in one place (analytics.js
 * posts text/plain without one; a page that sends the write key in an Authorization header needs
 * it). The responses themselves get their CORS headers from the ingest CORS filter.
 */
@PreMatching
public final class SegmentPreflightFilter implements ContainerRequestFilter {
  static final String ALLOWED_HEADERS = "Authorization, Content-Type, Content-Encoding";

  @Override
  public void filter(ContainerRequestContext request) {
    if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
      return;
    }
    String path = request.getUriInfo().getPath();
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.startsWith("v1/")) {
      request.abortWith(
          Response.noContent()
              .header("Access-Control-Allow-Origin", "*")
              .header("Access-Control-Allow-Methods", "POST, OPTIONS")
              .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
              .header("Access-Control-Max-Age", "86400")
              .build());
    }
  }
}
