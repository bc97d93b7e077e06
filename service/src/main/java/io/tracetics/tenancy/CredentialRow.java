package io.tracetics.tenancy;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;

/** A live (not revoked) credential, found by the hash of its secret. */
public record CredentialRow(
    long id, TenantId tenantId, AppId appId, CredentialKind kind, byte[] keyHash) {}
