package io.tracetics.errors;

import io.dropwizard.core.setup.Environment;

/**
 * Registers the one error shape for every failure (Dropwizard's default mappers are off), and the
 * filter that keeps a connection usable after an answer that left the request's body unread.
 */
public final class ErrorMappers {
  private ErrorMappers() {}

  public static void register(Environment environment) {
    var jersey = environment.jersey();
    jersey.register(new ApiExceptionMapper());
    jersey.register(new JsonProcessingExceptionMapper());
    jersey.register(new ValidationExceptionMapper());
    jersey.register(new WebApplicationExceptionMapper());
    jersey.register(new EarlyEofExceptionMapper());
    jersey.register(new LoggingExceptionMapper());
    jersey.register(new UnreadBodyFilter());
  }
}
