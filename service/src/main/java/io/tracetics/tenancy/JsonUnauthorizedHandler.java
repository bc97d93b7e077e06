package io.tracetics.tenancy;

import io.dropwizard.auth.UnauthorizedHandler;
import io.tracetics.errors.ApiError;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** 401 in the one error shape, with the WWW-Authenticate challenge. */
public class JsonUnauthorizedHandler implements UnauthorizedHandler {
  private final String message;

  public JsonUnauthorizedHandler(String message) {
    this.message = message;
  }

  @Override
  public Response buildResponse(String prefix, String realm) {
    return Response.fromResponse(new ApiError(401, "unauthorized", message).toResponse())
        .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
        .build();
  }
}
