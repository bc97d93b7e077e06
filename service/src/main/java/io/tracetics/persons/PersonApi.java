package io.tracetics.persons;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** The person endpoint's answer. Its field names are part of the public API: never rename them. */
public final class PersonApi {
  private PersonApi() {}

  /**
   * One person with a page of its events, newest first. {@code traits}, {@code first_seen}, {@code
   * last_seen} and {@code next_cursor} are {@code null} when there are none.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({
    "person_id",
    "identifiers",
    "traits",
    "first_seen",
    "last_seen",
    "event_count",
    "events",
    "next_cursor",
    "watermark"
  })
  public record PersonResponse(
      @JsonProperty("person_id") String personId,
      @JsonProperty("identifiers") List<String> identifiers,
      @JsonProperty("traits") JsonNode traits,
      @JsonProperty("first_seen") Instant firstSeen,
      @JsonProperty("last_seen") Instant lastSeen,
      @JsonProperty("event_count") long eventCount,
      @JsonProperty("events") List<PersonEventResponse> events,
      @JsonProperty("next_cursor") String nextCursor,
      @JsonProperty("watermark") WatermarkResponse watermark) {}

  /** An event of the person: {@code user_identifier} is the identifier it was sent under. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({"event_id", "user_identifier", "event_name", "event_time", "metadata"})
  public record PersonEventResponse(
      @JsonProperty("event_id") long eventId,
      @JsonProperty("user_identifier") String userIdentifier,
      @JsonProperty("event_name") String eventName,
      @JsonProperty("event_time") Instant eventTime,
      @JsonProperty("metadata") JsonNode metadata) {}

  /**
   * Which state of the app the answer describes, as a report's {@code watermark}: its events, the
   * newest event id, the loader's position and the identity version.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({"events", "max_event_id", "load_position", "identity_version"})
  public record WatermarkResponse(
      @JsonProperty("events") long events,
      @JsonProperty("max_event_id") Long maxEventId,
      @JsonProperty("load_position") long loadPosition,
      @JsonProperty("identity_version") long identityVersion) {}
}
