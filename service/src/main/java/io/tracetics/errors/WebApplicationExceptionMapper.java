package io.tracetics.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;

/**
 * JAX-RS's own errors (unknown path, wrong method, unsupported media type, ...) in the one error
 * shape. Headers the framework set (Allow, WWW-Authenticate) are kept.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
  @Override
  public Response toResponse(WebApplicationException e) {
    Response original = e.getResponse();
    int status = original.getStatus();
    if (status >= 500) {
      return LoggingExceptionMapper.internalError(e);
    }
    Response.StatusType type = original.getStatusInfo();
    String reason = type.getReasonPhrase() == null ? "Error" : type.getReasonPhrase();
    String key = reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    String message = status == 404 ? "No such resource" : reason;
    Response.ResponseBuilder builder = Response.fromResponse(original);
    builder.entity(new ApiError(status, key, message));
    builder.type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE);
    return builder.build();
  }
}
