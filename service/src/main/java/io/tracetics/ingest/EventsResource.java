package io.tracetics.ingest;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.tracetics.ingest.IngestResponses.BatchResponse;
import io.tracetics.ingest.IngestResponses.SingleEventResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The event API. The tenant key and app key (headers) can only write events. Bodies are read raw
 * (any Content-Type, optionally gzip) so that byte-level problems such as invalid UTF-8 get their
 * own error.
 */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class EventsResource {
  public static final String TENANT_KEY = "X-OL-Tenant-Key";
  public static final String APP_KEY = "X-OL-App-Key";

  private final IngestService ingest;

  public EventsResource(IngestService ingest) {
    this.ingest = ingest;
  }

  /** Answers {@link SingleEventResponse} once the event is committed. */
  @POST
  @Timed
  @ExceptionMetered
  public void send(
      @HeaderParam(TENANT_KEY) String tenantKey,
      @HeaderParam(APP_KEY) String appKey,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    reply(
        ingest.ingestOne(
            tenantKey,
            appKey,
            new RequestBodies.Body(body, contentEncoding, contentLength),
            RateLimitHeaders.sink(request)),
        response);
  }

  /** Answers {@link BatchResponse} once the valid events are committed. */
  @POST
  @Path("batch")
  @Timed
  @ExceptionMetered
  public void sendBatch(
      @HeaderParam(TENANT_KEY) String tenantKey,
      @HeaderParam(APP_KEY) String appKey,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    reply(
        ingest.ingestBatch(
            tenantKey,
            appKey,
            new RequestBodies.Body(body, contentEncoding, contentLength),
            RateLimitHeaders.sink(request)),
        response);
  }

  /**
   * The request thread goes back to the server while the commit is pending; the answer (or its
   * error, through the same exception mappers as a thrown one) is written when it completes.
   */
  public static void reply(CompletableFuture<?> answer, AsyncResponse response) {
    answer.whenComplete(
        (value, error) -> {
          if (error == null) {
            response.resume(value);
          } else {
            response.resume(
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error);
          }
        });
  }

  /** CORS preflight for browsers. */
  @OPTIONS
  public Response preflight() {
    return IngestCorsFilter.preflight();
  }

  @OPTIONS
  @Path("batch")
  public Response preflightBatch() {
    return IngestCorsFilter.preflight();
  }
}
