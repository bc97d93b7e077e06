package io.tracetics.ingest;

import io.tracetics.tenancy.PlanRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The admission rule of a group commit, over what the writer read under the tenants' usage locks:
 * which events of the group are stored, which are duplicates and which the monthly quota refuses.
 *
 * <p>Requests are taken in order, and each request's events in order. An event whose client event
 * id the app has stored already, or that an earlier event of the group (in any request of the same
 * app) carries, is a duplicate: a success that stores nothing and uses no quota. Every other event
 * is stored while its tenant's quota has room ({@code limit - accepted} events this month, no bound
 * for a plan without a limit) and refused once it has none. Events without a client id are never
 * duplicates.
 */
final class Admission {
  private Admission() {}

  /**
   * A tenant's month so far: the events accepted (stored) this month and the effective plan's
   * monthly limit, null for a plan without one.
   */
  record TenantMonth(long accepted, Long limit) {}

  /**
   * One request of the group: its tenant and app, and the client event id of each of its events in
   * order (null for an event sent without one).
   */
  record Request(long tenantId, long appId, List<String> clientEventIds) {}

  /**
   * What happens to one request: the indexes of its events to store, how many were duplicates, the
   * indexes the quota refused, and its tenant's accepted count of the month once the group is
   * stored.
   */
  record Outcome(List<Integer> stored, int duplicates, List<Integer> quotaRejected, long used) {}

  /**
   * What a tenant's counters gain: events stored (accepted) and refused by the quota (rejected).
   */
  record UsageDelta(long accepted, long rejected) {}

  /**
   * The group's decision: one outcome per request (in the requests' order) and the usage to add per
   * tenant (only tenants whose counters change, in tenant order).
   */
  record Decision(List<Outcome> outcomes, Map<Long, UsageDelta> usage) {}

  /**
   * Decides the group.
   *
   * @param months every tenant of the group, with its month so far
   * @param storedIds per app, the client event ids among the group's that it has stored already (an
   *     app missing here has none)
   * @param requests the group's requests, in order
   */
  static Decision decide(
      Map<Long, TenantMonth> months, Map<Long, Set<String>> storedIds, List<Request> requests) {
    Map<Long, Long> remaining = new HashMap<>();
    Map<Long, long[]> deltas = new TreeMap<>(); // tenant -> {accepted, rejected}
    for (Request request : requests) {
      long tenant = request.tenantId();
      if (!remaining.containsKey(tenant)) {
        TenantMonth month = months.get(tenant);
        if (month == null) {
          throw new IllegalArgumentException("no month given for tenant " + tenant);
        }
        remaining.put(tenant, PlanRow.remaining(month.limit(), month.accepted()));
        deltas.put(tenant, new long[2]);
      }
    }

    Map<Long, Set<String>> seenInGroup = new HashMap<>();
    List<int[]> counts = new ArrayList<>(); // per request: {duplicates}
    List<List<Integer>> storedIndexes = new ArrayList<>();
    List<List<Integer>> refusedIndexes = new ArrayList<>();
    for (Request request : requests) {
      long tenant = request.tenantId();
      long[] delta = deltas.get(tenant);
      Set<String> stored = storedIds.getOrDefault(request.appId(), Set.of());
      Set<String> seen = seenInGroup.computeIfAbsent(request.appId(), a -> new HashSet<>());
      int duplicates = 0;
      List<Integer> storedHere = new ArrayList<>();
      List<Integer> refusedHere = new ArrayList<>();
      List<String> ids = request.clientEventIds();
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        if (id != null && (stored.contains(id) || seen.contains(id))) {
          duplicates++;
          continue;
        }
        long left = remaining.get(tenant);
        if (left <= 0) {
          refusedHere.add(i);
          delta[1]++;
          continue;
        }
        remaining.put(tenant, left - 1);
        if (id != null) {
          seen.add(id);
        }
        storedHere.add(i);
        delta[0]++;
      }
      counts.add(new int[] {duplicates});
      storedIndexes.add(storedHere);
      refusedIndexes.add(refusedHere);
    }

    List<Outcome> outcomes = new ArrayList<>(requests.size());
    for (int r = 0; r < requests.size(); r++) {
      long tenant = requests.get(r).tenantId();
      outcomes.add(
          new Outcome(
              List.copyOf(storedIndexes.get(r)),
              counts.get(r)[0],
              List.copyOf(refusedIndexes.get(r)),
              months.get(tenant).accepted() + deltas.get(tenant)[0]));
    }
    Map<Long, UsageDelta> usage = new TreeMap<>();
    deltas.forEach(
        (tenant, delta) -> {
          if (delta[0] > 0 || delta[1] > 0) {
            usage.put(tenant, new UsageDelta(delta[0], delta[1]));
          }
        });
    return new Decision(List.copyOf(outcomes), usage);
  }
}
