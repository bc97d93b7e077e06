package io.tracetics.engine.plan;

import io.tracetics.engine.query.EventMatch;
import io.tracetics.engine.query.FunnelStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a funnel's steps by what they match, so the SQL can tell how many distinct events at one
 * instant can fill a run of steps (one event fills at most one step).
 *
 * <p>A <em>class</em> is a distinct set of alternatives (each an event name and a filter set);
 * steps of one class match the same events. Classes whose alternatives share an event name may
 * share events; the classes linked that way, directly or through others, form a <em>component</em>,
 * and an event can only match classes of one component (the one of its name). For every component,
 * every non-empty set of its classes is a {@link Subset}: by Hall's theorem, steps can be given
 * distinct events iff for every subset S the steps needing a class of S are no more than the events
 * matching some class of S.
 */
final class StepClasses {
  /** A non-empty set of the classes of one component. */
  record Subset(int component, List<Integer> classes) {}

  final List<FunnelStep> classRepresentative = new ArrayList<>();
  final int[] stepClass;
  final List<Subset> subsets = new ArrayList<>();
  final int[] singletonSubset;
  final int componentCount;

  StepClasses(List<FunnelStep> steps) {
    Map<FunnelStep.MatchKey, Integer> classIds = new LinkedHashMap<>();
    stepClass = new int[steps.size()];
    for (int k = 0; k < steps.size(); k++) {
      FunnelStep step = steps.get(k);
      Integer id = classIds.get(step.matchKey());
      if (id == null) {
        id = classRepresentative.size();
        classIds.put(step.matchKey(), id);
        classRepresentative.add(step);
      }
      stepClass[k] = id;
    }
    List<List<Integer>> components = components(classRepresentative);
    singletonSubset = new int[classRepresentative.size()];
    for (int comp = 0; comp < components.size(); comp++) {
      List<Integer> classes = components.get(comp);
      int m = classes.size();
      for (int mask = 1; mask < (1 << m); mask++) {
        List<Integer> members = new ArrayList<>();
        for (int bit = 0; bit < m; bit++) {
          if ((mask & (1 << bit)) != 0) {
            members.add(classes.get(bit));
          }
        }
        if (members.size() == 1) {
          singletonSubset[members.get(0)] = subsets.size();
        }
        subsets.add(new Subset(comp, List.copyOf(members)));
      }
    }
    componentCount = components.size();
  }

  /**
   * The classes (indexes into {@code classes}) grouped into components: two classes are in one
   * component when an event name links them, directly or through other classes. Components come in
   * the order of their first class, classes in ascending order.
   */
  static List<List<Integer>> components(List<FunnelStep> classes) {
    int[] parent = new int[classes.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    Map<String, Integer> firstWithName = new LinkedHashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      for (EventMatch m : classes.get(i).anyOf()) {
        Integer other = firstWithName.putIfAbsent(m.eventName(), i);
        if (other != null) {
          parent[root(parent, i)] = root(parent, other);
        }
      }
    }
    Map<Integer, List<Integer>> byRoot = new LinkedHashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      byRoot.computeIfAbsent(root(parent, i), r -> new ArrayList<>()).add(i);
    }
    return List.copyOf(byRoot.values());
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  int classCount() {
    return classRepresentative.size();
  }

  /** Steps at index >= from whose class is in the subset, ascending. */
  List<Integer> positionsFrom(Subset s, int from) {
    List<Integer> out = new ArrayList<>();
    for (int k = from; k < stepClass.length; k++) {
      if (s.classes().contains(stepClass[k])) {
        out.add(k);
      }
    }
    return out;
  }
}
