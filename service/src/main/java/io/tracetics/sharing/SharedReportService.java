package io.tracetics.sharing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.errors.ApiException;
import io.tracetics.errors.RetryableApiException;
import io.tracetics.funnels.FunnelApi;
import io.tracetics.funnels.FunnelService;
import io.tracetics.funnels.ReportParams;
import io.tracetics.funnels.ReportService;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report behind a share link, for anyone holding its token. Without parameters it is the
 * funnel's saved report (the cached result the pipeline keeps current); with parameters the link
 * allows, it is computed for them, limited per link. Every reason a token reads nothing (unknown,
 * revoked, expired, funnel or app deleted) is the same 404.
 */
public class SharedReportService {
  private final ShareLookup lookup;
  private final FunnelService funnels;
  private final ReportService reports;
  private final ShareRateLimiter limiter;
  private final ObjectMapper json;
  private final Clock clock;

  public SharedReportService(
      ShareLookup lookup,
      FunnelService funnels,
      ReportService reports,
      ShareRateLimiter limiter,
      ObjectMapper json,
      Clock clock) {
    this.lookup = lookup;
    this.funnels = funnels;
    this.reports = reports;
    this.limiter = limiter;
    this.json = json;
    this.clock = clock;
  }

  /** The one answer for every token that reads nothing; it never says why. */
  public static ApiException notFound() {
    return new ApiException(404, "share_not_found", "This shared report does not exist");
  }

  /** Whether the token opens a report now (for the page, which says no with its own 404). */
  public boolean exists(String token) {
    Optional<ShareRow> share = live(token);
    if (share.isEmpty()) {
      return false;
    }
    try {
      // The link may be cached from before its funnel or app was deleted.
      funnels.get(
          TenantId.of(share.get().tenantId()),
          AppId.of(share.get().appId()),
          share.get().funnelId());
      return true;
    } catch (ApiException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  public ObjectNode report(String token, Map<String, List<String>> query) {
    ShareRow share = live(token).orElseThrow(SharedReportService::notFound);
    List<String> allowed = ShareRules.decode(share.allowedParameters());
    Optional<ReportParams> asked = ShareRules.viewerParams(query, new HashSet<>(allowed));
    if (asked.isPresent()) {
      long wait = limiter.tryAcquire(share.id());
      if (wait > 0) {
        throw new RetryableApiException(
            429,
            "rate_limited",
            "Too many reports with changed parameters on this shared link; try again later",
            wait,
            Map.of());
      }
    }
    ReportParams params = asked.orElse(ReportParams.NONE);
    TenantId tenant = TenantId.of(share.tenantId());
    AppId app = AppId.of(share.appId());
    try {
      FunnelApi.Definition definition = funnels.get(tenant, app, share.funnelId()).definition();
      ObjectNode report = reports.savedReport(tenant, app, share.funnelId(), params);
      return SharedReport.of(json, definition, report, params, allowed);
    } catch (ApiException e) {
      // The funnel or its app went away since the link was looked up (and cached).
      if (e.status() == 404) {
        throw notFound();
      }
      throw e;
    }
  }

  private Optional<ShareRow> live(String token) {
    return lookup
        .resolve(token)
        .filter(row -> ShareRules.unexpired(row.expiresAtMs(), clock.instant()));
  }
}
