package io.tracetics.engine.reference;

import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
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
  private Identities() {}

  /** {@code rows} with each identifier replaced by its person's, as {@code links} make them. */
  public static List<EventRow> resolve(List<EventRow> rows, List<IdentityLink> links) {
    Map<String, String> personOf = new HashMap<>();
    Set<String> withAliases = new HashSet<>();
    for (IdentityLink l : links) {
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
}
