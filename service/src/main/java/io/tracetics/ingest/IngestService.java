package io.tracetics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.errors.ApiException;
import io.tracetics.errors.RetryableApiException;
import io.tracetics.identity.Identify;
import io.tracetics.identity.IdentifyParser;
import io.tracetics.identity.IdentifyResult;
import io.tracetics.identity.IdentifyService;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.ingest.IngestResponses.BatchResponse;
import io.tracetics.ingest.IngestResponses.RejectedItem;
import io.tracetics.ingest.IngestResponses.SingleEventResponse;
import io.tracetics.tenancy.CredentialKind;
import io.tracetics.tenancy.CredentialRow;
import io.tracetics.tenancy.CredentialStore;
import io.tracetics.tenancy.UsagePeriod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The write path: authenticate the key pair, read and validate the body, apply the per-app rate
 * limit (its status goes to the caller's {@code limits}, for the RateLimit headers), hand the valid
 * events to the writer ({@link IngestWriter}, the group-commit writer in the application) and
 * answer once they are committed (durable acknowledgement; no thread waits meanwhile). No SQL here;
 * the quota is enforced inside the writer's transaction. The writer's failures ({@link
 * IngestFailure}) become the API's errors here.
 */
public class IngestService {
  private final CredentialStore credentials;
  private final EventParser parser;
  private final IngestRateLimiter rateLimiter;
  private final IngestWriter writer;
  private final IngestMetrics metrics;
  private final IngestConfig config;
  private final Clock clock;
  private final IdentifyParser identifyParser;
  private final IdentifyService identities;

  public IngestService(
      CredentialStore credentials,
      EventParser parser,
      IngestRateLimiter rateLimiter,
      IngestWriter writer,
      IngestMetrics metrics,
      IngestConfig config,
      Clock clock,
      IdentifyService identities) {
    this.credentials = credentials;
    this.parser = parser;
    this.rateLimiter = rateLimiter;
    this.writer = writer;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
    this.identities = identities;
    this.identifyParser = new IdentifyParser(parser);
  }

  /** The app a valid credential names. */
  public record Sender(TenantId tenant, AppId app) {}

  /**
   * One event. Authentication, validation and the rate limit fail at once (thrown); the answer
   * completes when the event is committed (or was already stored), and fails with the quota or
   * database error.
   */
  public CompletableFuture<SingleEventResponse> ingestOne(
      String tenantKey, String appKey, RequestBodies.Body body, Consumer<RateLimitStatus> limits) {
    Sender sender = authenticate(tenantKey, appKey);
    IngestEvent event = parseOne(body);
    rateLimit(sender, 1, limits);
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
      String tenantKey, String appKey, RequestBodies.Body body, Consumer<RateLimitStatus> limits) {
    Sender sender = authenticate(tenantKey, appKey);
    return storeParsed(sender, parseBatch(body), limits);
  }

  /**
   * Items in the native batch shape (events and identifies) from another front (the
   * Segment-compatible endpoints) for a sender that front has authenticated, received at {@code
   * receivedAtMs}: validated, rate limited, stored and answered exactly as the items of {@link
   * #ingestBatch} (the front checks its own body's shape and size). Fails like {@link #ingestOne}.
   */
  public CompletableFuture<BatchResponse> ingestItems(
      Sender sender, JsonNode items, long receivedAtMs, Consumer<RateLimitStatus> limits) {
    return storeParsed(sender, parseItems(items, receivedAtMs), limits);
  }

  private CompletableFuture<BatchResponse> storeParsed(
      Sender sender, Parsed parsed, Consumer<RateLimitStatus> limits) {
    rateLimit(sender, parsed.valid.size() + parsed.identifies.size(), limits);
    if (parsed.valid.isEmpty() && parsed.identifies.isEmpty()) {
      return CompletableFuture.completedFuture(new BatchResponse(0, 0, parsed.rejected));
    }
    Identified identified = storeIdentifies(sender, parsed);
    if (parsed.valid.isEmpty()) {
      return CompletableFuture.completedFuture(batchResponse(parsed, null, identified));
    }
    return store(sender, parsed.valid)
        .thenApply(outcome -> batchResponse(parsed, outcome, identified));
  }

  /**
   * One identify ({@code POST /api/v1/identify}). Authentication, validation, the rate limit, a
   * refused link (409) and the quota fail thrown; returns whether it was a duplicate.
   */
  public boolean identifyOne(
      String tenantKey, String appKey, RequestBodies.Body body, Consumer<RateLimitStatus> limits) {
    Sender sender = authenticate(tenantKey, appKey);
    long receivedAt = clock.millis();
    JsonNode node = parser.readBody(RequestBodies.read(body, EventParser.MAX_BODY_BYTES));
    IdentifyParser.Result result = identifyParser.parse(node, receivedAt);
    if (result instanceof IdentifyParser.Invalid invalid) {
      metrics.rejected.inc();
      throw invalid.error().toException();
    }
    rateLimit(sender, 1, limits);
    IdentifyResult stored =
        identities
            .store(
                sender.tenant(), sender.app(), List.of(((IdentifyParser.Valid) result).identify()))
            .get(0);
    if (stored instanceof IdentifyResult.Rejected rejected) {
      throw rejected.error().toException();
    }
    return stored instanceof IdentifyResult.Duplicate;
  }

  /** The identifies' results of a batch, by their index among the batch's identifies. */
  private record Identified(List<IdentifyResult> results) {
    int stored() {
      return (int) results.stream().filter(r -> !(r instanceof IdentifyResult.Rejected)).count();
    }

    int duplicates() {
      return (int) results.stream().filter(r -> r instanceof IdentifyResult.Duplicate).count();
    }
  }

  /**
   * Stores a batch's identifies (before its events); a quota refusal refuses each of them, or the
   * whole request when it has no events.
   */
  private Identified storeIdentifies(Sender sender, Parsed parsed) {
    if (parsed.identifies.isEmpty()) {
      return new Identified(List.of());
    }
    try {
      return new Identified(identities.store(sender.tenant(), sender.app(), parsed.identifies));
    } catch (RetryableApiException e) {
      if (e.status() != 429 || parsed.valid.isEmpty()) {
        throw e; // nothing of the request can be stored: the whole request's 429, as for events
      }
      ItemError overQuota = new ItemError(429, e.error(), e.getMessage(), null);
      List<IdentifyResult> refused = new ArrayList<>();
      parsed.identifies.forEach(i -> refused.add(new IdentifyResult.Rejected(overQuota)));
      return new Identified(refused);
    }
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

  /** The batch's answer; {@code outcome} is null when it had no valid events. */
  private BatchResponse batchResponse(
      Parsed parsed, GroupCommitWriter.WriteOutcome outcome, Identified identified) {
    int stored = identified.stored();
    int duplicates = identified.duplicates();
    List<RejectedItem> rejected = new ArrayList<>(parsed.rejected);
    for (int i = 0; i < identified.results().size(); i++) {
      if (identified.results().get(i) instanceof IdentifyResult.Rejected refused) {
        rejected.add(new RejectedItem(parsed.identifyIndexes.get(i), refused.error()));
      }
    }
    if (outcome != null) {
      if (!outcome.quotaRejected().isEmpty()
          && outcome.stored() + outcome.duplicates() + stored == 0) {
        throw quotaExceeded(outcome);
      }
      ItemError overQuota = quotaItemError(outcome);
      for (int validIndex : outcome.quotaRejected()) {
        rejected.add(new RejectedItem(parsed.validIndexes.get(validIndex), overQuota));
      }
      stored += outcome.stored() + outcome.duplicates();
      duplicates += outcome.duplicates();
    }
    rejected.sort(Comparator.comparingInt(RejectedItem::index));
    return new BatchResponse(stored, duplicates, rejected);
  }

  /**
   * Both keys must be live and belong to the same tenant. Every failure is the same 401, so a
   * caller cannot tell which key was wrong.
   */
  public Sender authenticate(String tenantKey, String appKey) {
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
      List<IngestEvent> valid,
      List<Integer> validIndexes,
      List<Identify> identifies,
      List<Integer> identifyIndexes,
      List<RejectedItem> rejected) {}

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
    List<Identify> identifies = new ArrayList<>();
    List<Integer> identifyIndexes = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode item = events.get(i);
      JsonNode type = item == null ? null : item.get("type");
      if (type != null && !type.isNull() && !"track".equals(type.asText())) {
        if (!"identify".equals(type.asText()) || !type.isTextual()) {
          rejected.add(
              new RejectedItem(
                  i,
                  ItemError.invalid(
                      "invalid_type",
                      "type",
                      "Field 'type' of a batch item must be 'track' (an event, the default) or"
                          + " 'identify'")));
          continue;
        }
        IdentifyParser.Result identify = identifyParser.parse(item, receivedAt);
        if (identify instanceof IdentifyParser.Valid ok) {
          identifies.add(ok.identify());
          identifyIndexes.add(i);
        } else {
          rejected.add(new RejectedItem(i, ((IdentifyParser.Invalid) identify).error()));
        }
        continue;
      }
      EventParser.Result result = parser.parseEvent(item, receivedAt);
      if (result instanceof EventParser.Valid ok) {
        valid.add(ok.event());
        validIndexes.add(i);
      } else {
        rejected.add(new RejectedItem(i, ((EventParser.Invalid) result).error()));
      }
    }
    metrics.rejected.inc(rejected.size());
    return new Parsed(valid, validIndexes, identifies, identifyIndexes, rejected);
  }

  /**
   * Refuses (429, thrown) when the app sends faster than its limit; the app's status goes to {@code
   * limits} either way (0 events: only the status, nothing taken).
   */
  public void rateLimit(Sender sender, int events, Consumer<RateLimitStatus> limits) {
    RateLimitDecision decision = rateLimiter.acquire(sender.app, events);
    limits.accept(decision.status());
    long waitSeconds = decision.waitSeconds();
    if (waitSeconds > 0) {
      metrics.rateLimited.inc();
      throw new RetryableApiException(
          429,
          "rate_limited",
          "This app sends events faster than its rate limit ("
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
        UsagePeriod.secondsToNext(clock.instant()),
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
}
