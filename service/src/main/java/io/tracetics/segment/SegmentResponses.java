package io.tracetics.segment;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tracetics.ingest.IngestResponses.RejectedItem;
import java.util.List;

/** The bodies the Segment-compatible endpoints answer with. */
public final class SegmentResponses {
  private SegmentResponses() {}

  /** A single message stored (or already stored): {@code {"success": true}}, as Segment answers. */
  @JsonPropertyOrder({"success"})
  public record Success(@JsonProperty("success") boolean success) {
    public static final Success OK = new Success(true);
  }

  /**
   * A batch taken: {@code success} as Segment answers, then what happened to its messages as the
   * native batch endpoint tells it ({@code accepted} messages now stored, {@code duplicates} among
   * them, {@code rejected} by index in {@code batch}).
   */
  @JsonPropertyOrder({"success", "accepted", "duplicates", "rejected"})
  public record BatchSuccess(
      @JsonProperty("success") boolean success,
      @JsonProperty("accepted") int accepted,
      @JsonProperty("duplicates") int duplicates,
      @JsonProperty("rejected") List<RejectedItem> rejected) {}
}
