package io.tracetics.tenancy;

/** A live (not revoked) credential, found by the hash of its secret. */
public record CredentialRow(
    long id, TenantId tenantId, AppId appId, CredentialKind kind, byte[] keyHash) {}
