package io.tracetics.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.jetty.io.EofException;

/** The client went away while sending its body. */
@Provider
public class EarlyEofExceptionMapper implements ExceptionMapper<EofException> {
  @Override
  public Response toResponse(EofException e) {
    return new ApiError(400, "incomplete_request", "Request body ended early").toResponse();
  }
}
