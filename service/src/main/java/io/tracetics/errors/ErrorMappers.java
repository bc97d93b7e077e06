package io.tracetics.errors;

import io.dropwizard.core.setup.Environment;
import java.util.List;

/**
 * Registers the one error shape for every failure (Dropwizard's default mappers are off), and the
 * filter that keeps a connection usable after an answer that left the request's body unread.
 */
public final class ErrorMappers {
  private ErrorMappers() {}

  public static void register(Environment environment) {
    all().forEach(environment.jersey()::register);
  }

  /** The mappers and the filter, for Jersey setups other than the application's own. */
  public static List<Object> all() {
    return List.of(
        new ApiExceptionMapper(),
        new JsonProcessingExceptionMapper(),
        new ValidationExceptionMapper(),
        new WebApplicationExceptionMapper(),
        new EarlyEofExceptionMapper(),
        new LoggingExceptionMapper(),
        new UnreadBodyFilter());
  }
}
