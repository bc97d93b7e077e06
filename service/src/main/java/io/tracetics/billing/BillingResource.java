package io.tracetics.billing;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import io.tracetics.billing.BillingApi.CheckoutRequest;
import io.tracetics.billing.BillingApi.CheckoutResponse;
import io.tracetics.billing.BillingApi.UsageResponse;
import io.tracetics.idempotency.Idempotent;
import io.tracetics.tenancy.AnyScope;
import io.tracetics.tenancy.RequiresScope;
import io.tracetics.tenancy.Scope;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A tenant's usage against its plan, and buying a plan (management token). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BillingResource {
  private final CheckoutService checkout;
  private final UsageService usage;

  public BillingResource(CheckoutService checkout, UsageService usage) {
    this.checkout = checkout;
    this.usage = usage;
  }

  @Idempotent
  @POST
  @Path("/billing/checkout")
  @Timed
  @ExceptionMetered
  @RequiresScope(Scope.ADMIN)
  public CheckoutResponse checkout(
      @Auth TenantPrincipal tenant, @NotNull @Valid CheckoutRequest request) {
    CheckoutService.CheckoutSession session =
        checkout.create(
            tenant.tenantId(), request.plan(), request.successUrl(), request.cancelUrl());
    return new CheckoutResponse(session.sessionId(), session.url());
  }

  @GET
  @Path("/usage")
  @Timed
  @ExceptionMetered
  @AnyScope
  public UsageResponse usage(@Auth TenantPrincipal tenant) {
    return UsageResponse.of(usage.usage(tenant.tenantId()));
  }
}
