package io.tracetics.identity;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tracetics.ingest.EventsResource;
import io.tracetics.ingest.IngestCorsFilter;
import io.tracetics.ingest.IngestService;
import io.tracetics.ingest.RateLimitHeaders;
import io.tracetics.ingest.RequestBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * {@code POST /api/v1/identify}: links an anonymous id to a user and/or sets the person's traits,
 * with the same keys, body rules, rate limit and quota as events (the body is read raw, like an
 * event's).
 */
@Path("/api/v1/identify")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class IdentifyResource {
  private final IngestService ingest;

  public IdentifyResource(IngestService ingest) {
    this.ingest = ingest;
  }

  /** The answer: the link holds (now or already), and whether this was a retry of a stored one. */
  @JsonPropertyOrder({"identified", "duplicate"})
  public record IdentifyResponse(
      @JsonProperty("identified") boolean identified,
      @JsonProperty("duplicate") boolean duplicate) {}

  @POST
  @Timed
  @ExceptionMetered
  public IdentifyResponse identify(
      @HeaderParam(EventsResource.TENANT_KEY) String tenantKey,
      @HeaderParam(EventsResource.APP_KEY) String appKey,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
      @Context ContainerRequestContext request,
      InputStream body) {
    boolean duplicate =
        ingest.identifyOne(
            tenantKey,
            appKey,
            new RequestBodies.Body(body, contentEncoding, contentLength),
            RateLimitHeaders.sink(request));
    return new IdentifyResponse(true, duplicate);
  }

  /** CORS preflight for browsers. */
  @OPTIONS
  public Response preflight() {
    return IngestCorsFilter.preflight();
  }
}
