package io.tracetics.engine.exec;

import java.util.Objects;

/**
 * An actor's place in its list, which is also where a next page continues: a person's key, or, for
 * a funnel that counts units ({@code FunnelQuery.countBy}), the unit's value. Lists come in key
 * order: person keys ascending, unit values in DuckDB's byte order of their text.
 */
public sealed interface ActorKey permits ActorKey.Person, ActorKey.Unit {

  /** A person, by its key in the store. */
  record Person(long key) implements ActorKey {}

  /** A unit, by the text of its property's value. */
  record Unit(String value) implements ActorKey {
    public Unit {
      Objects.requireNonNull(value, "value");
    }
  }
}
