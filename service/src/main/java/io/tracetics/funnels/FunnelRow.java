package io.tracetics.funnels;

import java.time.Instant;

/** A saved funnel's row; steps and options are JSON text. */
public record FunnelRow(
    long id,
    long tenantId,
    long appId,
    String name,
    long windowSeconds,
    String orderMode,
    String options,
    int version,
    Instant createdAt,
    Instant updatedAt) {}
