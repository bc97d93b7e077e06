package io.tracetics.benchmarks;

import io.dropwizard.core.setup.Environment;
import io.tracetics.app.TraceticsApplication;
import io.tracetics.ingest.IngestConfig;
import io.tracetics.ingest.IngestMetrics;
import io.tracetics.ingest.IngestWriter;
import io.tracetics.queue.IngestNoticePublisher;
import org.jdbi.v3.core.Jdbi;

/**
 * The ingest benchmark's floor server: the whole application, with the same {@code /api/v1/events}
 * endpoints (authentication, body reading, validation, rate limit, request metrics), but a writer
 * that stores nothing ({@link FloorWriter}). Started by the benchmark as a separate JVM.
 */
public final class FloorApplication extends TraceticsApplication {
  public static void main(String[] args) throws Exception {
    new FloorApplication().run(args);
  }

  @Override
  protected IngestWriter ingestWriter(
      Jdbi jdbi,
      IngestConfig ingestConfig,
      IngestMetrics metrics,
      IngestNoticePublisher notices,
      Environment environment) {
    return new FloorWriter();
  }
}
