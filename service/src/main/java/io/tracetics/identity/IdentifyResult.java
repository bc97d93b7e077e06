package io.tracetics.identity;

import io.tracetics.ingest.ItemError;

/** What happened to one identify of a request. */
public sealed interface IdentifyResult {
  /** Stored: it reaches the analytic store with the next load. */
  record Stored() implements IdentifyResult {}

  /** Its client id was stored already: a success that stores nothing. */
  record Duplicate() implements IdentifyResult {}

  /** Refused, with the reason in the API's item error shape; nothing of it is stored. */
  record Rejected(ItemError error) implements IdentifyResult {}
}
