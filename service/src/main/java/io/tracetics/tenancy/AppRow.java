package io.tracetics.tenancy;

import java.time.Instant;

/** A tracked app that has not been deleted. */
public record AppRow(AppId id, TenantId tenantId, String name, Instant createdAt) {}
