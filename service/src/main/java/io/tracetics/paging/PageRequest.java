package io.tracetics.paging;

import io.tracetics.errors.ApiException;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A page of a list ordered by id (keyset): the items after {@code afterId}, at most {@code limit}.
 * The cursor is the id of the previous page's last item, as {@code GET /api/v1/tenants} does it.
 * Pure: parsing (a bad value is one 400 naming the parameter) and cutting the page.
 */
public record PageRequest(long afterId, int limit) {
  /** Large, so that clients written before these lists had pages still get every item. */
  public static final int DEFAULT_LIMIT = 1000;

  public static final int MAX_LIMIT = 1000;

  /** From the query parameters {@code limit} and {@code cursor} (either may be absent). */
  public static PageRequest parse(String limit, String cursor) {
    int size =
        limit == null || limit.isBlank()
            ? DEFAULT_LIMIT
            : (int) parse("limit", limit, 1, MAX_LIMIT);
    long after =
        cursor == null || cursor.isEmpty() ? 0 : parse("cursor", cursor, 1, Long.MAX_VALUE);
    return new PageRequest(after, size);
  }

  /** Rows to read: one more than the page, to know whether another page follows. */
  public int fetch() {
    return limit + 1;
  }

  /** The page of rows read with {@link #fetch()} after {@link #afterId()}, in id order. */
  public <T> Page<T> page(List<T> fetched, ToLongFunction<T> id) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, null);
    }
    List<T> items = fetched.subList(0, limit);
    return new Page<>(items, Long.toString(id.applyAsLong(items.get(limit - 1))));
  }

  private static long parse(String name, String text, long min, long max) {
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(
        "invalid_parameter",
        "cursor".equals(name)
            ? "Query parameter 'cursor' must be a next_cursor returned by this list"
            : "Query parameter '" + name + "' must be a whole number from " + min + " to " + max);
  }
}
