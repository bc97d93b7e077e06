package io.tracetics.errors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns every {@link ApiException} into the one error body, with Retry-After where it applies. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {
  @Override
  public Response toResponse(ApiException e) {
    Response.ResponseBuilder response =
        Response.status(e.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ApiError(e.status(), e.error(), e.getMessage(), null, null, e.details()));
    if (e.status() == 413) {
      // The rest of a too-large body is left unread, so the server closes the connection after
      // this answer. Saying so keeps a client's connection pool from sending its next request on
      // that connection, which would fail with no response at all.
      response.header("Connection", "close");
    }
    if (e instanceof RetryableApiException retryable) {
      response.header("Retry-After", retryable.retryAfterSeconds());
    }
    return response.build();
  }
}
