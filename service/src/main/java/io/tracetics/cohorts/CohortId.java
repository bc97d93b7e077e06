package io.tracetics.cohorts;

import jakarta.ws.rs.NotFoundException;

/** A cohort's id as a path parameter; anything not a positive number names no cohort (404). */
public record CohortId(long value) {
  public CohortId {
    if (value <= 0) {
      throw new IllegalArgumentException("cohort id must be positive");
    }
  }

  public static CohortId valueOf(String text) {
    try {
      return new CohortId(Long.parseLong(text));
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("Cohort " + text + " not found");
    }
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
