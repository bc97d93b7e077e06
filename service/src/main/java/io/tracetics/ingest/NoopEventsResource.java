package io.tracetics.ingest;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.tracetics.ingest.IngestResponses.BatchResponse;
import io.tracetics.ingest.IngestResponses.SingleEventResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/**
 * The ingest benchmark's no-I/O floor: same authentication, body reading and validation as {@link
 * EventsResource} (and the same request metrics), but nothing is stored. Registered only with
 * {@code ingest.benchmarkNoopEndpoint: true}; never enable it in production.
 */
@Path("/api/v1/events/noop")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class NoopEventsResource {
  private final IngestService ingest;

  public NoopEventsResource(IngestService ingest) {
    this.ingest = ingest;
  }

  @POST
  @Timed
  @ExceptionMetered
  public SingleEventResponse send(
      @HeaderParam(EventsResource.TENANT_KEY) String tenantKey,
      @HeaderParam(EventsResource.APP_KEY) String appKey,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
      InputStream body) {
    return ingest.noopOne(
        tenantKey, appKey, new RequestBodies.Body(body, contentEncoding, contentLength));
  }

  @POST
  @Path("batch")
  @Timed
  @ExceptionMetered
  public BatchResponse sendBatch(
      @HeaderParam(EventsResource.TENANT_KEY) String tenantKey,
      @HeaderParam(EventsResource.APP_KEY) String appKey,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
      InputStream body) {
    return ingest.noopBatch(
        tenantKey, appKey, new RequestBodies.Body(body, contentEncoding, contentLength));
  }
}
