package io.tracetics.engine.store;

import java.util.Objects;

/**
 * One identify as the loader hands it to the store: from now on, and for its past events too,
 * {@code anonymousId} is the person of {@code userIdentifier} (see {@link IdentityMerges} for the
 * rule).
 */
public record IdentityLink(long appId, String anonymousId, String userIdentifier) {

  public IdentityLink {
    Objects.requireNonNull(anonymousId, "anonymousId");
    Objects.requireNonNull(userIdentifier, "userIdentifier");
  }
}
