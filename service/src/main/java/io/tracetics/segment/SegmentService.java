package io.tracetics.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tracetics.errors.ApiException;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.IngestResponses.RejectedItem;
import io.tracetics.ingest.IngestService;
import io.tracetics.ingest.IngestService.Sender;
import io.tracetics.ingest.RateLimitStatus;
import io.tracetics.ingest.RequestBodies;
import io.tracetics.segment.SegmentMapping.AsEvent;
import io.tracetics.segment.SegmentMapping.AsIdentify;
import io.tracetics.segment.SegmentMapping.Mapped;
import io.tracetics.segment.SegmentMapping.Nothing;
import io.tracetics.segment.SegmentMapping.Refused;
import io.tracetics.segment.SegmentResponses.BatchSuccess;
import io.tracetics.segment.SegmentResponses.Success;
import io.tracetics.tenancy.CredentialKind;
import io.tracetics.tenancy.CredentialStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The Segment-compatible write path: authenticates the write key (HTTP Basic username, else {@code
 * writeKey} in the body, as analytics.js sends it from browsers), reads the body with the native
 * limits, maps each message onto the native shapes ({@link SegmentMapping}) and hands them to the
 * native write path ({@link IngestService}), so validation, deduplication, the rate limit, the
 * quota and the errors are the native ones.
 */
public class SegmentService {
  private final CredentialStore credentials;
  private final EventParser parser;
  private final IngestService ingest;
  private final Clock clock;

  public SegmentService(
      CredentialStore credentials, EventParser parser, IngestService ingest, Clock clock) {
    this.credentials = credentials;
    this.parser = parser;
    this.ingest = ingest;
    this.clock = clock;
  }

  /**
   * One message of the given type. A refused message is the whole request's 4xx (nothing stored),
   * as on the native single-event endpoint.
   */
  public CompletableFuture<Success> receiveOne(
      SegmentType type,
      String authorization,
      RequestBodies.Body body,
      Consumer<RateLimitStatus> limits) {
    Request request = read(authorization, body);
    Mapped mapped = SegmentMapping.map(request.body(), type, null);
    return store(request, List.of(mapped), limits)
        .thenApply(
            outcome -> {
              if (!outcome.rejected().isEmpty()) {
                throw outcome.rejected().get(0).error().toException();
              }
              return Success.OK;
            });
  }

  /** {@code {"batch": [...], "sentAt"?}}: messages of mixed types, refused ones by index. */
  public CompletableFuture<BatchSuccess> receiveBatch(
      String authorization, RequestBodies.Body body, Consumer<RateLimitStatus> limits) {
    Request request = read(authorization, body);
    JsonNode messages = batchMessages(request.body());
    JsonNode sentAt = request.body().get("sentAt");
    List<Mapped> mapped = new ArrayList<>(messages.size());
    for (JsonNode message : messages) {
      mapped.add(SegmentMapping.mapBatchItem(message, sentAt));
    }
    return store(request, mapped, limits)
        .thenApply(
            outcome ->
                new BatchSuccess(
                    true, outcome.accepted(), outcome.duplicates(), outcome.rejected()));
  }

  private record Request(Sender sender, JsonNode body, long receivedAtMs) {}

  /**
   * Authenticates and reads the body. With an Authorization header the key is checked before the
   * body is read; without one the key comes from the body's {@code writeKey}.
   */
  private Request read(String authorization, RequestBodies.Body body) {
    long receivedAt = clock.millis();
    Sender sender = null;
    if (authorization != null) {
      sender = authenticate(BasicAuth.username(authorization).orElse(null));
    }
    JsonNode json = parser.readBody(RequestBodies.read(body, EventParser.MAX_BODY_BYTES));
    if (sender == null) {
      JsonNode writeKey = json.isObject() ? json.get("writeKey") : null;
      sender = authenticate(writeKey != null && writeKey.isTextual() ? writeKey.textValue() : null);
    }
    return new Request(sender, json, receivedAt);
  }

  /** The sender a live write key names; every failure is the same 401. */
  private Sender authenticate(String writeKey) {
    return credentials
        .resolve(writeKey, CredentialKind.WRITE_KEY)
        .filter(row -> row.appId() != null)
        .map(row -> new Sender(row.tenantId(), row.appId()))
        .orElseThrow(
            () ->
                new ApiException(
                    401,
                    "invalid_write_key",
                    "A live write key is required: HTTP Basic authentication with the write key"
                        + " as the username and an empty password, or writeKey in the body"));
  }

  /** The {@code batch} array of a batch body, checked for shape and count as native batches. */
  private static JsonNode batchMessages(JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badRequest(
          "invalid_body", "Request body must be a JSON object {\"batch\": [...]}");
    }
    JsonNode batch = body.get("batch");
    if (batch == null || !batch.isArray()) {
      throw ApiException.badRequest("invalid_body", "Field 'batch' must be an array of messages");
    }
    if (batch.isEmpty()) {
      throw ApiException.badRequest("invalid_body", "Field 'batch' must not be empty");
    }
    if (batch.size() > EventParser.MAX_BATCH_EVENTS) {
      throw new ApiException(
          413,
          "payload_too_large",
          "A batch holds at most " + EventParser.MAX_BATCH_EVENTS + " messages; nothing was stored",
          Map.of(
              "max_events", EventParser.MAX_BATCH_EVENTS, "max_bytes", EventParser.MAX_BODY_BYTES));
    }
    return batch;
  }

  /** What happened to a request's messages, by their index in the request. */
  private record Outcome(int accepted, int duplicates, List<RejectedItem> rejected) {}

  /**
   * Where a native item came from: the message's index and field names, or none for an implicit
   * identify.
   */
  private record Origin(int index, Map<String, String> fields) {
    static final Origin IMPLICIT = new Origin(-1, Map.of());
  }

  /**
   * Stores the mapped messages through the native batch path in one request: events, identifies
   * and, after them, the implicit identifies of the valid events that carry both ids (each pair
   * once). The answer is by message: an implicit identify is the event's companion, so its own
   * refusal (a link that the first link to another user forbids) is not the message's.
   */
  private CompletableFuture<Outcome> store(
      Request request, List<Mapped> messages, Consumer<RateLimitStatus> limits) {
    List<RejectedItem> rejected = new ArrayList<>();
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    List<Origin> origins = new ArrayList<>();
    List<JsonNode> links = new ArrayList<>();
    Set<JsonNode> linked = new HashSet<>();
    int nothing = 0;
    for (int i = 0; i < messages.size(); i++) {
      Mapped mapped = messages.get(i);
      if (mapped instanceof Refused refused) {
        rejected.add(new RejectedItem(i, refused.error()));
      } else if (mapped instanceof Nothing) {
        nothing++;
      } else if (mapped instanceof AsIdentify identify) {
        items.add(identify.identify());
        origins.add(new Origin(i, identify.fields()));
      } else if (mapped instanceof AsEvent event) {
        items.add(event.event());
        origins.add(new Origin(i, event.fields()));
        JsonNode link = event.implicitIdentify();
        if (link != null
            && parser.parseEvent(event.event(), request.receivedAtMs()) instanceof EventParser.Valid
            && linked.add(pair(link))) {
          links.add(link);
        }
      }
    }
    for (JsonNode link : links) {
      items.add(link);
      origins.add(Origin.IMPLICIT);
    }
    int taken = nothing;
    if (items.isEmpty()) {
      ingest.rateLimit(request.sender(), 0, limits); // the status only, for the headers
      return CompletableFuture.completedFuture(new Outcome(taken, 0, sorted(rejected)));
    }
    return ingest
        .ingestItems(request.sender(), items, request.receivedAtMs(), limits)
        .thenApply(
            answer -> {
              int linksTaken = links.size();
              for (RejectedItem item : answer.rejected()) {
                Origin origin = origins.get(item.index());
                if (origin == Origin.IMPLICIT) {
                  linksTaken--;
                } else {
                  rejected.add(
                      new RejectedItem(
                          origin.index(), SegmentMapping.rename(item.error(), origin.fields())));
                }
              }
              // Implicit identifies carry no id, so they are never duplicates.
              return new Outcome(
                  answer.accepted() - linksTaken + taken, answer.duplicates(), sorted(rejected));
            });
  }

  /** The two ids an implicit identify links, as the key of its pair. */
  private static JsonNode pair(JsonNode link) {
    return JsonNodeFactory.instance
        .arrayNode()
        .add(link.get("anonymous_id"))
        .add(link.get("user_identifier"));
  }

  private static List<RejectedItem> sorted(List<RejectedItem> rejected) {
    rejected.sort(Comparator.comparingInt(RejectedItem::index));
    return rejected;
  }
}
