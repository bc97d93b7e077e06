package io.tracetics.tenancy;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.time.Instant;

/** A tracked app that has not been deleted. */
public record AppRow(AppId id, TenantId tenantId, String name, Instant createdAt) {}
