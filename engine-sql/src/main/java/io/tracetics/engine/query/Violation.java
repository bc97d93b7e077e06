package io.tracetics.engine.query;

/**
 * One reason a funnel query is rejected.
 *
 * @param code stable snake_case key for clients (e.g. {@code window_not_positive})
 * @param field where in the definition, e.g. {@code steps[2].filters[0].value}
 * @param message a sentence for humans
 */
public record Violation(String code, String field, String message) {}
