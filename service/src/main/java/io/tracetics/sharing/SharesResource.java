package io.tracetics.sharing;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.funnels.FunnelId;
import io.tracetics.idempotency.Idempotent;
import io.tracetics.ids.AppId;
import io.tracetics.paging.PageRequest;
import io.tracetics.tenancy.RequiresScope;
import io.tracetics.tenancy.Scope;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** A saved funnel's share links, with the tenant's management token. */
@Path("/api/v1/apps/{app_id}/funnels/{funnel_id}/shares")
@Produces(MediaType.APPLICATION_JSON)
public class SharesResource {
  private final ShareService shares;

  public SharesResource(ShareService shares) {
    this.shares = shares;
  }

  /** The body is optional: without one the link never expires and allows no parameters. */
  @Idempotent
  @POST
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.FUNNELS_WRITE)
  public Response create(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel,
      @Valid ShareApi.CreateRequest request) {
    ShareApi.Share created =
        shares.create(
            tenant.tenantId(),
            app,
            funnel.value(),
            request == null ? ShareApi.CreateRequest.NONE : request);
    return Response.created(
            URI.create(
                "/api/v1/apps/" + app + "/funnels/" + funnel + "/shares/" + created.shareId()))
        .entity(created)
        .build();
  }

  @GET
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.REPORTS_READ)
  public ShareApi.ShareList list(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    var page =
        shares.page(tenant.tenantId(), app, funnel.value(), PageRequest.parse(limit, cursor));
    return new ShareApi.ShareList(page.items(), page.nextCursor());
  }

  @DELETE
  @Path("/{share_id}")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.FUNNELS_WRITE)
  public Response revoke(
      @Auth TenantPrincipal tenant,
      @PathParam("app_id") AppId app,
      @PathParam("funnel_id") FunnelId funnel,
      @PathParam("share_id") long shareId) {
    shares.revoke(tenant.tenantId(), app, funnel.value(), shareId);
    return Response.noContent().build();
  }
}
