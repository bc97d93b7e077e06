package io.tracetics.errors;

import io.dropwizard.jersey.validation.ConstraintMessage;
import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/** Bean-validation failures: 422 with each problem listed in {@code errors}. */
@Provider
public class ValidationExceptionMapper implements ExceptionMapper<JerseyViolationException> {
  @Override
  public Response toResponse(JerseyViolationException e) {
    List<String> errors =
        e.getConstraintViolations().stream()
            .map(v -> ConstraintMessage.getMessage(v, e.getInvocable()))
            .sorted()
            .toList();
    int status = ConstraintMessage.determineStatus(e.getConstraintViolations(), e.getInvocable());
    String message = errors.isEmpty() ? "Request is invalid" : errors.get(0);
    return new ApiError(status, "validation_failed", message, errors, null, Map.of()).toResponse();
  }
}
