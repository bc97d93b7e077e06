package io.tracetics.tenancy;

import io.tracetics.ids.TenantId;
import java.time.Instant;

/** A tenant with the plan it is on. */
public record TenantRow(
    TenantId id,
    String name,
    PlanRow plan,
    Instant createdAt,
    String subscriptionStatus,
    Instant currentPeriodEnd) {}
