package io.tracetics.persons;

import io.tracetics.engine.store.EventCursor;
import io.tracetics.engine.store.PersonLookup;
import io.tracetics.errors.ApiException;

/**
 * The page of a person's events a request asks for: {@code limit} (default {@value #DEFAULT_LIMIT},
 * at most {@link PersonLookup#MAX_EVENTS}) and {@code cursor} (a {@code next_cursor} of an earlier
 * answer; absent for the newest events).
 */
record PersonPage(int limit, EventCursor before) {
  static final int DEFAULT_LIMIT = 50;

  /**
   * The page of the query parameters as sent.
   *
   * @throws ApiException 400 {@code invalid_parameter}, naming the parameter
   */
  static PersonPage of(String limit, String cursor) {
    return new PersonPage(limit(limit), cursor(cursor));
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > PersonLookup.MAX_EVENTS) {
      throw ApiException.badRequest(
          "invalid_parameter",
          "Query parameter 'limit' must be a whole number from 1 to " + PersonLookup.MAX_EVENTS);
    }
    return limit;
  }

  private static EventCursor cursor(String text) {
    if (text == null || text.isEmpty()) {
      return EventCursor.START;
    }
    return EventCursor.parse(text)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "invalid_parameter",
                    "Query parameter 'cursor' must be the next_cursor of an earlier answer"));
  }
}
