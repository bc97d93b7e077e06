package io.tracetics.billing;

import io.tracetics.errors.ApiException;

/** Billing is not configured on this server: 503 with a message saying which setting is missing. */
public class BillingDisabledException extends ApiException {
  private static final long serialVersionUID = 1L;

  private BillingDisabledException(String message) {
    super(503, "billing_disabled", message);
  }

  static BillingDisabledException webhook() {
    return new BillingDisabledException(
        "Billing is disabled on this server: no Stripe webhook signing secret is configured"
            + " (STRIPE_WEBHOOK_SECRET).");
  }

  static BillingDisabledException checkout() {
    return new BillingDisabledException(
        "Billing is disabled on this server: no Stripe API key is configured (STRIPE_API_KEY).");
  }
}
