package io.tracetics.identity;

/**
 * One validated identify, ready to store. Times are epoch milliseconds (UTC); {@code
 * identifiedAtMs} is already corrected for client clock skew, as an event's time is.
 *
 * @param anonymousId the id to link to the user, or null for an identify that only sets traits
 * @param userIdentifier the user (the person the anonymous id joins)
 * @param traitsJson compact JSON object text patching the person's traits, or null
 * @param clientMessageId the client's idempotency id, or null
 */
public record Identify(
    String anonymousId,
    String userIdentifier,
    String traitsJson,
    long identifiedAtMs,
    long receivedAtMs,
    String clientMessageId) {}
