package io.tracetics.engine.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.engine.store.CohortChange;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference's identity resolution, written from the definition and sharing no code with the
 * store: links apply in order; a link makes its anonymous id an alias of the user's person unless
 * the two ids are the same, the anonymous id is already an alias or already has aliases, or the
 * user's person is the anonymous id. Every event then belongs to its identifier's person, whenever
 * the event came.
 */
public final class Identities {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Identities() {}

  /** {@code rows} with each identifier replaced by its person's, as {@code links} make them. */
  public static List<EventRow> resolve(List<EventRow> rows, List<IdentityLink> links) {
    Map<String, String> personOf = personOf(links);
    return rows.stream()
        .map(
            r -> {
              String id = r.appId() + "/" + r.userIdentifier();
              String person = personOf.getOrDefault(id, id);
              return new EventRow(
                  r.id(),
                  r.appId(),
                  person.substring(person.indexOf('/') + 1),
                  r.eventName(),
                  r.eventTimeMillis(),
                  r.receivedAtMillis(),
                  r.metadataJson());
            })
        .toList();
  }

  /**
   * The live cohorts of app {@code appId} after {@code changes} (in order: a creation sets a
   * cohort's members, a deletion removes the cohort), each as the persons its member identifiers
   * belong to after all of {@code links}: membership resolves when a funnel reads it.
   */
  public static Map<Long, Set<String>> cohorts(
      List<IdentityLink> links, List<CohortChange> changes, long appId) {
    Map<String, String> personOf = personOf(links);
    Map<Long, Set<String>> cohorts = new HashMap<>();
    for (CohortChange change : changes) {
      if (change.appId() != appId) {
        continue;
      }
      if (change.deleted()) {
        cohorts.remove(change.cohortId());
        continue;
      }
      Set<String> persons = new HashSet<>();
      for (String member : change.members()) {
        String id = appId + "/" + member;
        String person = personOf.getOrDefault(id, id);
        persons.add(person.substring(person.indexOf('/') + 1));
      }
      cohorts.put(change.cohortId(), persons);
    }
    return cohorts;
  }

  /** Each alias's person, both as {@code app/identifier}, after {@code links} in order. */
  private static Map<String, String> personOf(List<IdentityLink> links) {
    Map<String, String> personOf = new HashMap<>();
    Set<String> withAliases = new HashSet<>();
    for (IdentityLink l : links) {
      if (l.anonymousId() == null) {
        continue;
      }
      String anon = l.appId() + "/" + l.anonymousId();
      String user = l.appId() + "/" + l.userIdentifier();
      String person = personOf.getOrDefault(user, user);
      if (anon.equals(user)
          || personOf.containsKey(anon)
          || withAliases.contains(anon)
          || person.equals(anon)) {
        continue;
      }
      personOf.put(anon, person);
      withAliases.add(person);
    }
    return personOf;
  }

  /**
   * The traits of app {@code appId}'s persons (by the person's identifier) after {@code links}, as
   * property texts: an identify's traits set keys of its user's person and a null value removes
   * one; an id that becomes an alias brings its traits to its person for the keys the person does
   * not have.
   */
  public static Map<String, Map<String, String>> traits(List<IdentityLink> links, long appId) {
    Map<String, String> personOf = new HashMap<>();
    Set<String> withAliases = new HashSet<>();
    Map<String, Map<String, String>> traits = new HashMap<>();
    for (IdentityLink l : links) {
      if (l.appId() != appId) {
        continue;
      }
      String user = l.userIdentifier();
      String person = personOf.getOrDefault(user, user);
      String anon = l.anonymousId();
      if (anon != null
          && !anon.equals(user)
          && !personOf.containsKey(anon)
          && !withAliases.contains(anon)
          && !person.equals(anon)) {
        personOf.put(anon, person);
        withAliases.add(person);
        Map<String, String> joining = traits.remove(anon);
        if (joining != null) {
          Map<String, String> own = traits.computeIfAbsent(person, k -> new HashMap<>());
          joining.forEach(own::putIfAbsent);
        }
      }
      if (l.traitsJson() != null) {
        Map<String, String> own = traits.computeIfAbsent(person, k -> new HashMap<>());
        try {
          JSON.readTree(l.traitsJson())
              .fields()
              .forEachRemaining(
                  f -> {
                    JsonNode v = f.getValue();
                    if (v.isNull()) {
                      own.remove(f.getKey());
                    } else {
                      own.put(f.getKey(), v.isTextual() ? v.textValue() : v.toString());
                    }
                  });
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return traits;
  }
}
