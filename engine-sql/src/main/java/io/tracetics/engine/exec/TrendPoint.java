package io.tracetics.engine.exec;

import java.time.LocalDate;

/**
 * Conversion of the users who entered the funnel in one period (UTC day, or week starting Monday).
 *
 * @param entered users with an attempt starting in the period
 * @param completed users with an attempt starting in the period that reached the last step
 * @param conversionRate completed / entered
 */
public record TrendPoint(LocalDate period, long entered, long completed, double conversionRate) {}
