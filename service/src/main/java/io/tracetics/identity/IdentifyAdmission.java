package io.tracetics.identity;

import io.tracetics.engine.store.IdentityMerges;
import io.tracetics.ingest.ItemError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admission rule of one request's identifies, over what the service read under the tenant's
 * usage lock: which are duplicates, which the monthly quota refuses, which links the identity rule
 * refuses, and which aliases the stored ones add to the graph.
 *
 * <p>Items are taken in order and each sees the graph as the earlier ones left it. The link rule is
 * the analytic store's ({@link IdentityMerges#decide}), applied to the same graph in the same
 * order, so a link accepted here is a merge there. A link whose user is an alias goes to that
 * alias's person (the graph stays a star). An identify that links nothing new (the ids are one
 * person already, or the same id) is stored for its traits, or is a success that stores nothing
 * when it has none.
 */
final class IdentifyAdmission {
  private IdentifyAdmission() {}

  /**
   * A new alias: identifier {@code alias} now belongs to {@code person}; made by item {@code item}.
   */
  record Alias(int item, String alias, String person) {}

  /**
   * The request's decision: one result per item, the indexes of the items to store, the aliases
   * they add, and how many items the quota refused.
   */
  record Decision(
      List<IdentifyResult> results, List<Integer> stored, List<Alias> aliases, int quotaRefused) {}

  /**
   * Decides the request.
   *
   * @param storedIds the items' client ids that the app has stored already
   * @param remaining identifies (events) the tenant's quota has room for this month
   * @param personOf for every identifier the items name that is an alias, its person
   * @param withAliases the identifiers (among the items' and their persons) that have aliases
   */
  static Decision decide(
      List<Identify> items,
      Set<String> storedIds,
      long remaining,
      Map<String, String> personOf,
      Set<String> withAliases) {
    Map<String, String> person = new HashMap<>(personOf);
    Set<String> hasAliases = new HashSet<>(withAliases);
    Set<String> seen = new HashSet<>();
    Keys keys = new Keys();
    List<IdentifyResult> results = new ArrayList<>(items.size());
    List<Integer> stored = new ArrayList<>();
    List<Alias> aliases = new ArrayList<>();
    long left = remaining;
    int refused = 0;
    for (int i = 0; i < items.size(); i++) {
      Identify item = items.get(i);
      String id = item.clientMessageId();
      if (id != null && (storedIds.contains(id) || seen.contains(id))) {
        results.add(new IdentifyResult.Duplicate());
        continue;
      }
      String anonymous = item.anonymousId();
      String user = item.userIdentifier();
      IdentityMerges.Decision link = null;
      if (anonymous != null) {
        link =
            IdentityMerges.decide(
                keys.state(anonymous, person, hasAliases), keys.state(user, person, hasAliases));
        if (link == IdentityMerges.Decision.ALIAS_OF_ANOTHER
            || link == IdentityMerges.Decision.HAS_ALIASES) {
          results.add(new IdentifyResult.Rejected(conflict(link, anonymous, person)));
          continue;
        }
      }
      if (link != IdentityMerges.Decision.MERGE && item.traitsJson() == null) {
        results.add(new IdentifyResult.Stored()); // one person already: nothing to store
        continue;
      }
      if (left <= 0) {
        results.add(new IdentifyResult.Rejected(QUOTA));
        refused++;
        continue;
      }
      left--;
      if (id != null) {
        seen.add(id);
      }
      if (link == IdentityMerges.Decision.MERGE) {
        String target = person.getOrDefault(user, user);
        person.put(anonymous, target);
        hasAliases.add(target);
        aliases.add(new Alias(i, anonymous, target));
      }
      stored.add(i);
      results.add(new IdentifyResult.Stored());
    }
    return new Decision(List.copyOf(results), List.copyOf(stored), List.copyOf(aliases), refused);
  }

  /** The item error of a quota refusal (the request's answer says which plan and limit). */
  static final ItemError QUOTA =
      new ItemError(
          429,
          "monthly_quota_exceeded",
          "The monthly event quota is used up; an identify counts as one event",
          null);

  private static ItemError conflict(
      IdentityMerges.Decision link, String anonymous, Map<String, String> person) {
    String message =
        link == IdentityMerges.Decision.ALIAS_OF_ANOTHER
            ? "anonymous_id '"
                + anonymous
                + "' is already identified as '"
                + person.get(anonymous)
                + "'; the first link wins"
            : "anonymous_id '"
                + anonymous
                + "' is a person with anonymous ids of its own; persons are never merged into"
                + " each other";
    return new ItemError(409, "already_identified", message, "anonymous_id");
  }

  /** Identifiers as the rule's states: a small number per identifier, its person's number. */
  private static final class Keys {
    private final Map<String, Long> keys = new HashMap<>();

    private long key(String identifier) {
      return keys.computeIfAbsent(identifier, k -> (long) keys.size());
    }

    IdentityMerges.State state(
        String identifier, Map<String, String> person, Set<String> hasAliases) {
      String p = person.getOrDefault(identifier, identifier);
      return new IdentityMerges.State(key(identifier), key(p), hasAliases.contains(identifier));
    }
  }
}
