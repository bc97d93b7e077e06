package io.tracetics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.errors.ApiException;
import io.tracetics.errors.RetryableApiException;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.ingest.IngestResponses.BatchResponse;
import io.tracetics.ingest.IngestResponses.RejectedItem;
import io.tracetics.ingest.IngestResponses.SingleEventResponse;
import io.tracetics.tenancy.CredentialKind;
import io.tracetics.tenancy.CredentialRow;
import io.tracetics.tenancy.CredentialStore;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The write path: authenticate the key pair, read and validate the body, apply the per-app rate
 * limit, hand the valid events to the writer ({@link IngestWriter}, the group-commit writer in the
 * application) and answer once they are committed (durable acknowledgement; no thread waits
 * meanwhile). No SQL here; the quota is enforced inside the writer's transaction. The writer's
 * failures ({@link IngestFailure}) become the API's errors here.
 */
public class IngestService {
  private final CredentialStore credentials;
  private final EventParser parser;
  private final AppRateLimiter rateLimiter;
  private final IngestWriter writer;
  private final IngestMetrics metrics;
  private final IngestConfig config;
  private final Clock clock;

  public IngestService(
      CredentialStore credentials,
      EventParser parser,
      AppRateLimiter rateLimiter,
      IngestWriter writer,
      IngestMetrics metrics,
      IngestConfig config,
      Clock clock) {
    this.credentials = credentials;
    this.parser = parser;
    this.rateLimiter = rateLimiter;
    this.writer = writer;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  /** The app a valid key pair (or another front's credential, such as a write key) names. */
  public record Sender(TenantId tenant, AppId app) {}

  /**
   * One event. Authentication, validation and the rate limit fail at once (thrown); the answer
   * completes when the event is committed (or was already stored), and fails with the quota or
   * database error.
   */
  public CompletableFuture<SingleEventResponse> ingestOne(
      String tenantKey, String appKey, RequestBodies.Body body) {
    Sender sender = authenticate(tenantKey, appKey);
    IngestEvent event = parseOne(body);
    rateLimit(sender, 1);
    return store(sender, List.of(event))
        .thenApply(
            outcome -> {
              if (!outcome.quotaRejected().isEmpty()) {
                throw quotaExceeded(outcome);
              }
              return new SingleEventResponse(1, outcome.duplicates() == 1);
            });
  }

  /**
   * Up to 1,000 events; valid ones are stored, invalid ones come back by index. Fails like {@link
   * #ingestOne}.
   */
  public CompletableFuture<BatchResponse> ingestBatch(
      String tenantKey, String appKey, RequestBodies.Body body) {
    Sender sender = authenticate(tenantKey, appKey);
    Parsed parsed = parseBatch(body);
    if (parsed.valid.isEmpty()) {
      return CompletableFuture.completedFuture(new BatchResponse(0, 0, parsed.rejected));
    }
    rateLimit(sender, parsed.valid.size());
    return store(sender, parsed.valid).thenApply(outcome -> batchResponse(parsed, outcome));
  }

  /**
   * Items in the native event shape from another front (the Segment-compatible endpoints) for a
   * sender that front has authenticated, received at {@code receivedAtMs}: validated, rate limited,
   * stored and answered exactly as the events of {@link #ingestBatch} (the front checks its own
   * body's shape and size). Fails like {@link #ingestOne}.
   */
  public CompletableFuture<BatchResponse> ingestItems(
      Sender sender, JsonNode items, long receivedAtMs) {
    Parsed parsed = parseItems(items, receivedAtMs);
    if (parsed.valid.isEmpty()) {
      return CompletableFuture.completedFuture(new BatchResponse(0, 0, parsed.rejected));
    }
    rateLimit(sender, parsed.valid.size());
    return store(sender, parsed.valid).thenApply(outcome -> batchResponse(parsed, outcome));
  }

  /**
   * Hands the events to the writer; its answer, with a failure of the write path ({@link
   * IngestFailure}) turned into the API's error.
   */
  private CompletableFuture<GroupCommitWriter.WriteOutcome> store(
      Sender sender, List<IngestEvent> events) {
    CompletableFuture<GroupCommitWriter.WriteOutcome> answer;
    try {
      answer = writer.write(sender.tenant, sender.app, events);
    } catch (IngestFailure failure) {
      throw apiError(failure, config);
    }
    return answer.exceptionally(
        error -> {
          Throwable cause =
              error instanceof CompletionException && error.getCause() != null
                  ? error.getCause()
                  : error;
          if (cause instanceof IngestFailure failure) {
            throw apiError(failure, config);
          }
          throw error instanceof CompletionException completion
              ? completion
              : new CompletionException(error);
        });
  }

  /** The API's answer to a failure of the write path: a 503 with Retry-After. */
  static RetryableApiException apiError(IngestFailure failure, IngestConfig config) {
    return switch (failure.reason()) {
      case DATABASE_UNAVAILABLE ->
          RetryableApiException.databaseUnavailable(
              Math.max(1, config.databaseRetryAfter.toSeconds()));
      case NOT_TAKEN_IN_TIME -> RetryableApiException.databaseUnavailable();
      case UNCONFIRMED ->
          new RetryableApiException(
              503,
              "database_unavailable",
              "The database did not confirm the write in time; it may or may not be stored."
                  + " Retry with the same event_id to avoid a duplicate.",
              2,
              Map.of());
      case OVERLOADED ->
          new RetryableApiException(
              503,
              "ingest_overloaded",
              "Too many events are waiting to be stored; nothing was stored. Retry later.",
              1,
              Map.of());
    };
  }

  private BatchResponse batchResponse(Parsed parsed, GroupCommitWriter.WriteOutcome outcome) {
    if (!outcome.quotaRejected().isEmpty() && outcome.stored() + outcome.duplicates() == 0) {
      throw quotaExceeded(outcome);
    }
    List<RejectedItem> rejected = new ArrayList<>(parsed.rejected);
    ItemError overQuota = quotaItemError(outcome);
    for (int validIndex : outcome.quotaRejected()) {
      rejected.add(new RejectedItem(parsed.validIndexes.get(validIndex), overQuota));
    }
    rejected.sort(Comparator.comparingInt(RejectedItem::index));
    return new BatchResponse(
        outcome.stored() + outcome.duplicates(), outcome.duplicates(), rejected);
  }

  /**
   * Both keys must be live and belong to the same tenant. Every failure is the same 401, so a
   * caller cannot tell which key was wrong.
   */
  Sender authenticate(String tenantKey, String appKey) {
    Optional<CredentialRow> tenant = credentials.resolve(tenantKey, CredentialKind.TENANT_KEY);
    Optional<CredentialRow> app = credentials.resolve(appKey, CredentialKind.APP_KEY);
    if (tenant.isPresent()
        && app.isPresent()
        && app.get().appId() != null
        && tenant.get().tenantId().equals(app.get().tenantId())) {
      return new Sender(app.get().tenantId(), app.get().appId());
    }
    throw new ApiException(
        401,
        "invalid_keys",
        "X-OL-Tenant-Key and X-OL-App-Key must be a live tenant key and an app key of that tenant");
  }

  private IngestEvent parseOne(RequestBodies.Body body) {
    long receivedAt = clock.millis();
    JsonNode node = parser.readBody(RequestBodies.read(body, EventParser.MAX_BODY_BYTES));
    EventParser.Result result = parser.parseEvent(node, receivedAt);
    if (result instanceof EventParser.Invalid invalid) {
      metrics.rejected.inc();
      throw invalid.error().toException();
    }
    return ((EventParser.Valid) result).event();
  }

  private record Parsed(
      List<IngestEvent> valid, List<Integer> validIndexes, List<RejectedItem> rejected) {}

  private Parsed parseBatch(RequestBodies.Body body) {
    long receivedAt = clock.millis();
    JsonNode events =
        parser.batchEvents(parser.readBody(RequestBodies.read(body, EventParser.MAX_BODY_BYTES)));
    return parseItems(events, receivedAt);
  }

  private Parsed parseItems(JsonNode events, long receivedAt) {
    List<IngestEvent> valid = new ArrayList<>(events.size());
    List<Integer> validIndexes = new ArrayList<>(events.size());
    List<RejectedItem> rejected = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      EventParser.Result result = parser.parseEvent(events.get(i), receivedAt);
      if (result instanceof EventParser.Valid ok) {
        valid.add(ok.event());
        validIndexes.add(i);
      } else {
        rejected.add(new RejectedItem(i, ((EventParser.Invalid) result).error()));
      }
    }
    metrics.rejected.inc(rejected.size());
    return new Parsed(valid, validIndexes, rejected);
  }

  private void rateLimit(Sender sender, int events) {
    long waitSeconds = rateLimiter.tryAcquire(sender.app, events);
    if (waitSeconds > 0) {
      metrics.rateLimited.inc();
      throw new RetryableApiException(
          429,
          "rate_limited",
          "This app sends events faster than this node accepts ("
              + (long) config.rateLimitEventsPerSecond
              + " events/s, burst "
              + (long) config.rateLimitBurst
              + "); nothing was stored. Retry after the Retry-After seconds.",
          waitSeconds,
          Map.of(
              "limit_per_second",
              (long) config.rateLimitEventsPerSecond,
              "burst",
              (long) config.rateLimitBurst));
    }
  }

  private RetryableApiException quotaExceeded(GroupCommitWriter.WriteOutcome outcome) {
    return new RetryableApiException(
        429,
        "monthly_quota_exceeded",
        quotaMessage(outcome),
        secondsToNextMonth(),
        Map.of("limit", outcome.limit(), "plan", outcome.plan(), "used", outcome.used()));
  }

  private ItemError quotaItemError(GroupCommitWriter.WriteOutcome outcome) {
    return new ItemError(429, "monthly_quota_exceeded", quotaMessage(outcome), null);
  }

  private static String quotaMessage(GroupCommitWriter.WriteOutcome outcome) {
    return "The monthly event quota of plan '"
        + outcome.plan()
        + "' ("
        + outcome.limit()
        + " events) is used up; events are accepted again from the 1st of next month (UTC)";
  }

  private long secondsToNextMonth() {
    Instant now = clock.instant();
    Instant next =
        YearMonth.from(now.atZone(ZoneOffset.UTC))
            .plusMonths(1)
            .atDay(1)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant();
    return Math.max(1, next.getEpochSecond() - now.getEpochSecond());
  }
}
