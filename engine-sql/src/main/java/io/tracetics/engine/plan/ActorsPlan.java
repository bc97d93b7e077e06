package io.tracetics.engine.plan;

import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.FunnelQuery;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The people of one report cell, compiled: a statement giving one row {@code (u, lvl, tt)} per
 * person in the cell (person key, or for a funnel counting units the unit's value; level; the
 * chosen chain's step times in epoch milliseconds), made of the same per-person relation the
 * report's plan aggregates. A plan on the native aggregate adds one row whose {@code u} is NULL
 * when the aggregate gave up; the executor then runs {@link #fallback}.
 *
 * @param query the validated query
 * @param cell the cell, valid for the query ({@link ActorCell#check})
 * @param cellSql the statement
 * @param cellParams values for its markers, in order
 * @param fallback for a native plan: the same cell on SQL plans only
 */
public record ActorsPlan(
    FunnelQuery query,
    ActorCell cell,
    String cellSql,
    List<Object> cellParams,
    Optional<ActorsPlan> fallback) {
  public ActorsPlan {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(cell, "cell");
    cellParams = List.copyOf(cellParams);
    Objects.requireNonNull(fallback, "fallback");
  }
}
