package io.tracetics.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The bodies the ingest endpoints answer with (documented in the README). */
public final class IngestResponses {
  private IngestResponses() {}

  /**
   * {@code POST /api/v1/events}: {@code {"accepted": 1, "duplicate": false}}; {@code duplicate} is
   * true when an event with the same {@code event_id} was already stored for the app.
   */
  @JsonPropertyOrder({"accepted", "duplicate"})
  public record SingleEventResponse(
      @JsonProperty("accepted") int accepted, @JsonProperty("duplicate") boolean duplicate) {}

  /**
   * {@code POST /api/v1/events/batch}: {@code accepted} counts the events that are now stored
   * (including {@code duplicates}, stored by an earlier request); {@code rejected} lists the
   * refused ones by index with the reason.
   */
  @JsonPropertyOrder({"accepted", "duplicates", "rejected"})
  public record BatchResponse(
      @JsonProperty("accepted") int accepted,
      @JsonProperty("duplicates") int duplicates,
      @JsonProperty("rejected") List<RejectedItem> rejected) {}

  /** One refused event of a batch: its 0-based index in {@code events} and why. */
  @JsonPropertyOrder({"index", "error"})
  public record RejectedItem(
      @JsonProperty("index") int index, @JsonProperty("error") ItemError error) {}
}
