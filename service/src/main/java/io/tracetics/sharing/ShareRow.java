package io.tracetics.sharing;

/** A share link's row; the token is only its SHA-256. Times are epoch milliseconds. */
public record ShareRow(
    long id,
    long tenantId,
    long appId,
    long funnelId,
    byte[] tokenHash,
    String allowedParameters,
    long createdAtMs,
    Long expiresAtMs,
    Long revokedAtMs) {}
