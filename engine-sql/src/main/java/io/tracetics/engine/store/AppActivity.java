package io.tracetics.engine.store;

import java.time.Instant;
import java.util.Optional;

/**
 * An app's events in the store, for status pages.
 *
 * @param events events of the app in the store
 * @param newestReceivedAt the newest receipt time among them, empty if none
 * @param receivedSince how many of them were received at or after the time asked about
 */
public record AppActivity(long events, Optional<Instant> newestReceivedAt, long receivedSince) {}
