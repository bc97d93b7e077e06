package io.tracetics.ingest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.function.Consumer;

/**
 * Writes the ingest rate limit's headers ({@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset}, draft-ietf-httpapi-ratelimit-headers-06) on every answer of a request
 * whose app reached the limit check, success or error: the ingest resources hand {@link
 * #sink(ContainerRequestContext)} to the service, which reports the app's status into it.
 */
public final class RateLimitHeaders implements ContainerResponseFilter {
  private static final String PROPERTY = RateLimitHeaders.class.getName();

  /** Where the service reports the request's rate limit status. */
  public static Consumer<RateLimitStatus> sink(ContainerRequestContext request) {
    return status -> request.setProperty(PROPERTY, status);
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(PROPERTY) instanceof RateLimitStatus status) {
      var headers = response.getHeaders();
      headers.putSingle(RateLimitStatus.LIMIT, status.limit());
      headers.putSingle(RateLimitStatus.REMAINING, status.remaining());
      headers.putSingle(RateLimitStatus.RESET, status.resetSeconds());
    }
  }
}
