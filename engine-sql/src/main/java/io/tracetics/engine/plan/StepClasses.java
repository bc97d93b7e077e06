package io.tracetics.engine.plan;

import io.tracetics.engine.query.FunnelStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a funnel's steps by what they match, so the SQL can tell how many distinct events at one
 * instant can fill a run of steps (one event fills at most one step).
 *
 * <p>A <em>class</em> is a distinct (event name, filter set); steps of one class match the same
 * events. Classes with the same event name may share events. For every event name, every non-empty
 * set of its classes is a {@link Subset}: by Hall's theorem, steps can be given distinct events iff
 * for every subset S the steps needing a class of S are no more than the events matching some class
 * of S.
 */
final class StepClasses {
  /** A non-empty set of the classes of one event name. */
  record Subset(int name, List<Integer> classes) {}

  final List<FunnelStep> classRepresentative = new ArrayList<>();
  final int[] stepClass;
  final List<Subset> subsets = new ArrayList<>();
  final int[] singletonSubset;
  final int nameCount;

  StepClasses(List<FunnelStep> steps) {
    Map<FunnelStep.MatchKey, Integer> classIds = new LinkedHashMap<>();
    Map<String, List<Integer>> classesByName = new LinkedHashMap<>();
    stepClass = new int[steps.size()];
    for (int k = 0; k < steps.size(); k++) {
      FunnelStep step = steps.get(k);
      Integer id = classIds.get(step.matchKey());
      if (id == null) {
        id = classRepresentative.size();
        classIds.put(step.matchKey(), id);
        classRepresentative.add(step);
        classesByName.computeIfAbsent(step.eventName(), n -> new ArrayList<>()).add(id);
      }
      stepClass[k] = id;
    }
    singletonSubset = new int[classRepresentative.size()];
    int nameIndex = 0;
    for (List<Integer> classes : classesByName.values()) {
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
        subsets.add(new Subset(nameIndex, List.copyOf(members)));
      }
      nameIndex++;
    }
    nameCount = nameIndex;
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
