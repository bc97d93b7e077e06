package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.util.Duration;
import io.tracetics.errors.RetryableApiException;
import org.junit.jupiter.api.Test;

/** The API's answer to each failure of the write path. */
class IngestFailureAnswerTest {
  private final IngestConfig config = new IngestConfig();

  private RetryableApiException answer(IngestFailure.Reason reason) {
    return IngestService.apiError(new IngestFailure(reason), config);
  }

  @Test
  void databaseUnavailableWaitsTheConfiguredRetryAfter() {
    config.databaseRetryAfter = Duration.seconds(7);
    RetryableApiException error = answer(IngestFailure.Reason.DATABASE_UNAVAILABLE);
    assertEquals(503, error.status());
    assertEquals("database_unavailable", error.error());
    assertEquals(7, error.retryAfterSeconds());
    assertTrue(error.getMessage().contains("nothing was stored"));

    config.databaseRetryAfter = Duration.milliseconds(200);
    assertEquals(1, answer(IngestFailure.Reason.DATABASE_UNAVAILABLE).retryAfterSeconds());
  }

  @Test
  void aRequestNoWriterTookIsUnavailableNothingStored() {
    RetryableApiException error = answer(IngestFailure.Reason.NOT_TAKEN_IN_TIME);
    assertEquals(503, error.status());
    assertEquals("database_unavailable", error.error());
    assertEquals(2, error.retryAfterSeconds());
    assertTrue(error.getMessage().contains("nothing was stored"));
  }

  @Test
  void anUnconfirmedCommitSaysItMayBeStored() {
    RetryableApiException error = answer(IngestFailure.Reason.UNCONFIRMED);
    assertEquals(503, error.status());
    assertEquals("database_unavailable", error.error());
    assertEquals(2, error.retryAfterSeconds());
    assertTrue(error.getMessage().contains("may or may not be stored"));
  }

  @Test
  void overloaded() {
    RetryableApiException error = answer(IngestFailure.Reason.OVERLOADED);
    assertEquals(503, error.status());
    assertEquals("ingest_overloaded", error.error());
    assertEquals(1, error.retryAfterSeconds());
  }
}
