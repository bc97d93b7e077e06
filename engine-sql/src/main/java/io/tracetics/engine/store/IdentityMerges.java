package io.tracetics.engine.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The identity rule: which links of a load merge an identifier into a person. Pure: the store reads
 * the links' identifiers as the dictionary holds them and applies what this returns.
 *
 * <p>Links apply in their order. A link makes its anonymous id an alias of the user's person,
 * unless:
 *
 * <ul>
 *   <li>the two ids are the same (a no-op);
 *   <li>the anonymous id already belongs to another person (the first link wins);
 *   <li>the anonymous id is itself a person with aliases (persons are not merged into each other);
 *   <li>the user's person is the anonymous id (it is already that person).
 * </ul>
 *
 * The user may be an alias: the link then goes to that alias's person, so the graph stays a star
 * (every alias points at a person that is no alias) and a person is one lookup away.
 */
public final class IdentityMerges {
  private IdentityMerges() {}

  /** An identifier of an app. */
  public record Id(long appId, String identifier) {
    public Id {
      Objects.requireNonNull(identifier, "identifier");
    }
  }

  /**
   * An identifier as the dictionary holds it.
   *
   * @param key its user key
   * @param person the user key of its person (its own key when it is no alias)
   * @param hasAliases whether other identifiers have it as their person
   */
  public record State(long key, long person, boolean hasAliases) {}

  /** What one link does, given the states of its two identifiers. */
  public enum Decision {
    /** The anonymous id becomes an alias of the user's person. */
    MERGE,
    /** Nothing to do: the two ids already are one person (or the same id). */
    SAME_PERSON,
    /** Refused: the anonymous id already belongs to another person (the first link wins). */
    ALIAS_OF_ANOTHER,
    /** Refused: the anonymous id is a person with aliases of its own (persons never merge). */
    HAS_ALIASES
  }

  /** The rule for one link from the anonymous id's and the user's states. */
  public static Decision decide(State anonymous, State user) {
    if (anonymous.key() == user.key() || anonymous.person() == user.person()) {
      return Decision.SAME_PERSON;
    }
    if (anonymous.person() != anonymous.key()) {
      return Decision.ALIAS_OF_ANOTHER;
    }
    if (anonymous.hasAliases()) {
      return Decision.HAS_ALIASES;
    }
    return Decision.MERGE;
  }

  /** One merge: {@code aliasKey}'s person becomes {@code personKey}. */
  public record Merge(long appId, long aliasKey, long personKey) {}

  /**
   * The merges {@code links} make, in order, starting from {@code states} (which must hold every
   * identifier the links name).
   */
  public static List<Merge> of(List<IdentityLink> links, Map<Id, State> states) {
    List<Merge> merges = new ArrayList<>();
    for (Step step : resolve(links, states)) {
      if (step.merge() != null) {
        merges.add(step.merge());
      }
    }
    return merges;
  }

  /**
   * What one link did: its merge (null when it merged nothing) and the key of its user's person
   * right after it, whose traits the link's traits patch.
   */
  public record Step(Merge merge, long personKey) {}

  /** One {@link Step} per link, in order (see {@link #of}). */
  public static List<Step> resolve(List<IdentityLink> links, Map<Id, State> states) {
    Map<Id, State> now = new HashMap<>(states);
    Map<Long, Id> byKey = new HashMap<>();
    now.forEach((id, s) -> byKey.put(s.key(), id));
    List<Step> steps = new ArrayList<>(links.size());
    for (IdentityLink link : links) {
      State user = require(now, new Id(link.appId(), link.userIdentifier()));
      long person = user.person();
      if (link.anonymousId() == null || link.anonymousId().equals(link.userIdentifier())) {
        steps.add(new Step(null, person));
        continue;
      }
      Id anonId = new Id(link.appId(), link.anonymousId());
      State anon = require(now, anonId);
      if (decide(anon, user) != Decision.MERGE) {
        steps.add(new Step(null, person));
        continue;
      }
      now.put(anonId, new State(anon.key(), person, false));
      Id personId = byKey.get(person);
      if (personId != null) {
        State p = now.get(personId);
        now.put(personId, new State(p.key(), p.person(), true));
      }
      steps.add(new Step(new Merge(link.appId(), anon.key(), person), person));
    }
    return steps;
  }

  private static State require(Map<Id, State> states, Id id) {
    State s = states.get(id);
    if (s == null) {
      throw new IllegalArgumentException("no state for " + id);
    }
    return s;
  }
}
