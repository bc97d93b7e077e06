package io.tracetics.errors;

import io.tracetics.db.DatabaseFailures;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything unexpected: 500 with a log id and nothing else. The exception (SQL, stack trace) goes
 * only to the server log, under that id. A database that cannot answer now ({@link
 * DatabaseFailures}: unreachable, out of connections, timed out, a row locked too long) is a 503
 * with Retry-After instead.
 */
@Provider
public class LoggingExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingExceptionMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    if (DatabaseFailures.classify(e).temporary()) {
      LOG.warn("Database unavailable: {}", e.toString());
      return new ApiExceptionMapper().toResponse(RetryableApiException.databaseUnavailable());
    }
    return internalError(e);
  }

  static Response internalError(Throwable e) {
    String logId = String.format("%016x", ThreadLocalRandom.current().nextLong());
    LOG.error("Unhandled error, log_id={}", logId, e);
    return new ApiError(
            500,
            "internal_error",
            "There was an error processing your request. It has been logged (ID " + logId + ").",
            null,
            logId,
            Map.of())
        .toResponse();
  }
}
