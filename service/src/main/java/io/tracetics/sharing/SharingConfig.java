package io.tracetics.sharing;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Share links: where their embeddable page may be framed and how often viewers may recompute. */
public class SharingConfig {
  /**
   * The Content-Security-Policy {@code frame-ancestors} sources of the embeddable page ({@code
   * /s/<token>?embed=1}), such as {@code https://wiki.example.com} or {@code *}. The default,
   * {@code 'self'}, allows frames on this server's own pages only. The page without {@code embed=1}
   * can never be framed ({@code 'none'}).
   */
  @JsonProperty
  @NotNull
  @Pattern(regexp = "[^;,\\r\\n]+", message = "must be CSP sources without ';' or ','")
  public String frameAncestors = "'self'";

  /** Reports with changed parameters one link may compute per minute on one node. */
  @JsonProperty
  @Min(1)
  public int liveReportsPerMinute = 30;

  /** ... and at once. */
  @JsonProperty
  @Min(1)
  public int liveReportsBurst = 10;

  /** Unrevoked links one funnel may have. */
  @JsonProperty
  @Min(1)
  public int maxLinksPerFunnel = 50;
}
