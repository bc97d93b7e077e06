package io.tracetics.paging;

import java.util.List;
import java.util.function.Function;

/** A page of a list and the cursor of the next one (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {
  public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
    return new Page<>(items.stream().<R>map(mapper).toList(), nextCursor);
  }
}
