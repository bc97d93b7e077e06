package io.tracetics.ingest;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@link IngestService} hands a request's valid events: the answer completes once they are
 * stored ({@link GroupCommitWriter} in the application).
 */
public interface IngestWriter {
  /**
   * Stores one request's events; the answer completes with what happened to them, or fails with an
   * {@link IngestFailure}. Throws {@link IngestFailure} at once when the write is refused before
   * anything is queued.
   */
  CompletableFuture<GroupCommitWriter.WriteOutcome> write(
      TenantId tenant, AppId app, List<IngestEvent> events);
}
