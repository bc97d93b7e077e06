package io.tracetics.billing;

import io.tracetics.ids.TenantId;
import java.time.Instant;

/**
 * A tenant's billing columns as stored. {@code planCode} is the plan subscribed to, not the
 * effective plan (TenantDao resolves that). Stripe times are epoch seconds; null when unknown.
 */
record BillingStateRow(
    TenantId tenantId,
    String planCode,
    String stripeCustomerId,
    String stripeSubscriptionId,
    String subscriptionStatus,
    Instant currentPeriodEnd,
    Long subscriptionStateAt,
    Long paymentFailedAt,
    Long graceUntil,
    Long paymentStateAt) {}
