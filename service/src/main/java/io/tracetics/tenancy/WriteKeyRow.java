package io.tracetics.tenancy;

import java.time.Instant;

/** A write key as listed: never the key itself, only its visible prefix. */
public record WriteKeyRow(long id, String keyPrefix, Instant createdAt, Instant revokedAt) {}
