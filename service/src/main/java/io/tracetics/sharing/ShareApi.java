package io.tracetics.sharing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** The share links' requests and responses. Their field names are part of the public API. */
public final class ShareApi {
  private ShareApi() {}

  /** A new link: optional expiry and the report parameters its viewers may change. */
  public record CreateRequest(
      @JsonProperty("expires_at") String expiresAt,
      @JsonProperty("allowed_parameters") @Size(max = 20) List<String> allowedParameters) {
    public static final CreateRequest NONE = new CreateRequest(null, null);
  }

  /** A link; {@code token} and {@code url} only in the answer that created it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Share(
      @JsonProperty("share_id") long shareId,
      @JsonProperty("token") String token,
      @JsonProperty("url") String url,
      @JsonProperty("funnel_id") long funnelId,
      @JsonProperty("expires_at") @JsonInclude(JsonInclude.Include.ALWAYS) Instant expiresAt,
      @JsonProperty("expired") Boolean expired,
      @JsonProperty("allowed_parameters") List<String> allowedParameters,
      @JsonProperty("created_at") Instant createdAt) {

    static Share of(ShareRow row, String token, Instant now) {
      Instant expires = row.expiresAtMs() == null ? null : Instant.ofEpochMilli(row.expiresAtMs());
      return new Share(
          row.id(),
          token,
          token == null ? null : "/s/" + token,
          row.funnelId(),
          expires,
          token == null ? !ShareRules.unexpired(row.expiresAtMs(), now) : null,
          ShareRules.decode(row.allowedParameters()),
          Instant.ofEpochMilli(row.createdAtMs()));
    }
  }

  public record ShareList(
      @JsonProperty("shares") List<Share> shares, @JsonProperty("next_cursor") String nextCursor) {}
}
