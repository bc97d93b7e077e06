package io.tracetics.tenancy;

/** A plan's limits. */
public record PlanRow(
    String code, String name, int maxApps, int maxFunnels, long maxMonthlyEvents, int sortOrder) {}
