package io.tracetics.engine.store;

import java.util.Map;
import java.util.OptionalLong;

/**
 * What the store holds for some apps and how far one load stream has got, read from one snapshot:
 * every event counted in {@code apps} was loaded at or before {@code position}, and nothing loaded
 * after it is counted, so a status page can add "waiting after this position" to it without
 * counting an event twice or not at all.
 *
 * @param position the stream's load position in that snapshot, empty if it never loaded
 * @param apps per app id asked about, its events in that snapshot
 */
public record StoreActivity(OptionalLong position, Map<Long, AppActivity> apps) {}
