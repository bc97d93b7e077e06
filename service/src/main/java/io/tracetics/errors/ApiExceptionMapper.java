package io.tracetics.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns every {@link ApiException} into the one error body, with Retry-After where it applies. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {
  @Override
  public Response toResponse(ApiException e) {
    Response.ResponseBuilder response =
        new ApiError(e.status(), e.error(), e.getMessage(), null, null, e.details())
            .responseBuilder();
    if (e instanceof RetryableApiException retryable) {
      response.header("Retry-After", retryable.retryAfterSeconds());
    }
    return response.build();
  }
}
