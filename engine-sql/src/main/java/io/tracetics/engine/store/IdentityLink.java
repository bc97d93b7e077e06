package io.tracetics.engine.store;

import java.util.Objects;

/**
 * One identify as the loader hands it to the store: from now on, and for its past events too,
 * {@code anonymousId} is the person of {@code userIdentifier} (see {@link IdentityMerges} for the
 * rule), and {@code traitsJson} patches that person's traits.
 *
 * @param anonymousId the id to link, or null for an identify that only sets traits
 * @param traitsJson a JSON object whose keys replace the person's traits (a null value removes the
 *     key), or null for none
 */
public record IdentityLink(
    long appId, String anonymousId, String userIdentifier, String traitsJson) {

  public IdentityLink {
    Objects.requireNonNull(userIdentifier, "userIdentifier");
  }

  /** A link without traits. */
  public IdentityLink(long appId, String anonymousId, String userIdentifier) {
    this(appId, Objects.requireNonNull(anonymousId, "anonymousId"), userIdentifier, null);
  }
}
