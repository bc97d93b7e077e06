package io.tracetics.segment;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.tracetics.ingest.EventsResource;
import io.tracetics.ingest.RateLimitHeaders;
import io.tracetics.ingest.RequestBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/**
 * Segment's tracking API ({@code /v1/track}, {@code /v1/identify}, {@code /v1/page}, {@code
 * /v1/screen}, {@code /v1/alias}, {@code /v1/batch}, and the one-letter paths analytics.js posts
 * to), so that Segment's own libraries can send to Tracetics. Authenticated by a write key. Bodies
 * are read raw (any Content-Type, optionally gzip), as on the native event endpoints. CORS
 * preflight: {@link SegmentPreflightFilter}.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class SegmentResource {
  private final SegmentService segment;

  public SegmentResource(SegmentService segment) {
    this.segment = segment;
  }

  /** {@code track}. */
  @POST
  @Path("track")
  @Timed
  @ExceptionMetered
  public void track(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.TRACK, auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code track} (analytics.js's short path). */
  @POST
  @Path("t")
  @Timed
  @ExceptionMetered
  public void trackShort(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.TRACK, auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code identify}. */
  @POST
  @Path("identify")
  @Timed
  @ExceptionMetered
  public void identify(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.IDENTIFY,
            auth(headers),
            body(headers, body),
            RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code identify} (analytics.js's short path). */
  @POST
  @Path("i")
  @Timed
  @ExceptionMetered
  public void identifyShort(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.IDENTIFY,
            auth(headers),
            body(headers, body),
            RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code page}. */
  @POST
  @Path("page")
  @Timed
  @ExceptionMetered
  public void page(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.PAGE, auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code page} (analytics.js's short path). */
  @POST
  @Path("p")
  @Timed
  @ExceptionMetered
  public void pageShort(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.PAGE, auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code screen}. */
  @POST
  @Path("screen")
  @Timed
  @ExceptionMetered
  public void screen(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.SCREEN, auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code screen} (analytics.js's short path). */
  @POST
  @Path("s")
  @Timed
  @ExceptionMetered
  public void screenShort(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.SCREEN, auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code alias}. */
  @POST
  @Path("alias")
  @Timed
  @ExceptionMetered
  public void alias(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.ALIAS, auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code alias} (analytics.js's short path). */
  @POST
  @Path("a")
  @Timed
  @ExceptionMetered
  public void aliasShort(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveOne(
            SegmentType.ALIAS, auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code batch}: messages of mixed types. */
  @POST
  @Path("batch")
  @Timed
  @ExceptionMetered
  public void batch(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveBatch(auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  /** {@code batch}: messages of mixed types (analytics.js's short path). */
  @POST
  @Path("b")
  @Timed
  @ExceptionMetered
  public void batchShort(
      @Context HttpHeaders headers,
      @Context ContainerRequestContext request,
      InputStream body,
      @Suspended AsyncResponse response) {
    EventsResource.reply(
        segment.receiveBatch(auth(headers), body(headers, body), RateLimitHeaders.sink(request)),
        response);
  }

  private static String auth(HttpHeaders headers) {
    return headers.getHeaderString(HttpHeaders.AUTHORIZATION);
  }

  private static RequestBodies.Body body(HttpHeaders headers, InputStream body) {
    return new RequestBodies.Body(
        body,
        headers.getHeaderString(HttpHeaders.CONTENT_ENCODING),
        headers.getHeaderString(HttpHeaders.CONTENT_LENGTH));
  }
}
