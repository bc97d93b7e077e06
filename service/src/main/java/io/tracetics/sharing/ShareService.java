package io.tracetics.sharing;

import io.tracetics.errors.ApiException;
import io.tracetics.funnels.FunnelService;
import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import io.tracetics.paging.Page;
import io.tracetics.paging.PageRequest;
import io.tracetics.tenancy.Secrets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A saved funnel's share links, for its tenant: create (the token is in that answer only), list
 * (never the token), revoke one (dead at once on this node, within the key cache's lifetime on
 * others).
 */
public class ShareService {
  private final Jdbi jdbi;
  private final FunnelService funnels;
  private final ShareLookup lookup;
  private final int maxLinksPerFunnel;
  private final Clock clock;

  public ShareService(
      Jdbi jdbi, FunnelService funnels, ShareLookup lookup, int maxLinksPerFunnel, Clock clock) {
    this.jdbi = jdbi;
    this.funnels = funnels;
    this.lookup = lookup;
    this.maxLinksPerFunnel = maxLinksPerFunnel;
    this.clock = clock;
  }

  public ShareApi.Share create(
      TenantId tenant, AppId app, long funnelId, ShareApi.CreateRequest request) {
    funnels.get(tenant, app, funnelId);
    Instant now = clock.instant();
    List<String> allowed = ShareRules.allowedParameters(request.allowedParameters());
    Optional<Instant> expires = ShareRules.expiresAt(request.expiresAt(), now);
    String token = ShareTokens.generate();
    ShareRow row =
        jdbi.inTransaction(
            handle -> {
              ShareDao shares = handle.attach(ShareDao.class);
              int used = shares.countUnrevoked(tenant, app, funnelId);
              if (used >= maxLinksPerFunnel) {
                throw new ApiException(
                    403,
                    "share_limit_reached",
                    "A funnel may have at most "
                        + maxLinksPerFunnel
                        + " share links; revoke one to create another",
                    Map.of("limit", maxLinksPerFunnel, "used", used));
              }
              long id =
                  shares.insert(
                      tenant,
                      app,
                      funnelId,
                      Secrets.hash(token),
                      ShareRules.encode(allowed),
                      now.toEpochMilli(),
                      expires.map(Instant::toEpochMilli).orElse(null));
              return shares.find(tenant, app, funnelId, id).orElseThrow();
            });
    return ShareApi.Share.of(row, token, now);
  }

  /** The funnel's unrevoked links, expired ones too (marked), oldest first. */
  /** A page of the funnel's unrevoked links in id order. */
  public Page<ShareApi.Share> page(TenantId tenant, AppId app, long funnelId, PageRequest request) {
    funnels.get(tenant, app, funnelId);
    Instant now = clock.instant();
    return request
        .page(
            jdbi.withExtension(
                ShareDao.class,
                dao -> dao.page(tenant, app, funnelId, request.afterId(), request.fetch())),
            ShareRow::id)
        .map(row -> ShareApi.Share.of(row, null, now));
  }

  public List<ShareApi.Share> list(TenantId tenant, AppId app, long funnelId) {
    funnels.get(tenant, app, funnelId);
    Instant now = clock.instant();
    return jdbi.withExtension(ShareDao.class, dao -> dao.list(tenant, app, funnelId)).stream()
        .map(row -> ShareApi.Share.of(row, null, now))
        .toList();
  }

  /** Revokes one link of the funnel; an unknown or already revoked one is 404. */
  public void revoke(TenantId tenant, AppId app, long funnelId, long shareId) {
    funnels.get(tenant, app, funnelId);
    byte[] hash =
        jdbi.inTransaction(
            handle -> {
              ShareDao shares = handle.attach(ShareDao.class);
              Optional<ShareRow> row = shares.find(tenant, app, funnelId, shareId);
              if (row.isEmpty()
                  || shares.revoke(tenant, app, funnelId, shareId, clock.millis()) == 0) {
                throw ApiException.notFound("Share", shareId);
              }
              return row.get().tokenHash();
            });
    lookup.invalidate(hash);
  }
}
