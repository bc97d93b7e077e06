package io.tracetics.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.ConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything unexpected: 500 with a log id and nothing else. The exception (SQL, stack trace) goes
 * only to the server log, under that id. A database that cannot be reached is a 503 with
 * Retry-After instead.
 */
@Provider
public class LoggingExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingExceptionMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    if (isDatabaseUnavailable(e)) {
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

  public static boolean isDatabaseUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectionException
          || t instanceof SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof java.sql.SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }
}
