package io.tracetics.billing;

import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.Timed;
import io.tracetics.billing.BillingApi.WebhookResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Stripe's webhook. No bearer token: the {@code Stripe-Signature} header, checked on the raw body,
 * is the authentication. Any content type is accepted because the signature covers the bytes.
 */
@Path("/api/v1/billing/stripe/webhook")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class StripeWebhookResource {
  private final BillingService billing;

  public StripeWebhookResource(BillingService billing) {
    this.billing = billing;
  }

  @POST
  @Timed
  @ExceptionMetered
  public WebhookResponse receive(
      @HeaderParam("Stripe-Signature") String signature, String payload) {
    return WebhookResponse.of(billing.receive(payload, signature));
  }
}
