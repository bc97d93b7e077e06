package io.tracetics.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A mapped field of an NDJSON record, named by a column option: a top-level field name, or a dotted
 * path into nested objects ({@code properties.distinct_id}). A top-level field whose name is the
 * whole text, dots included, comes first, so flat records with dotted keys keep working; otherwise
 * each dot steps into an object. Reading a field takes it out of the record, so the rest of the
 * record can become metadata without the mapped values repeated in it.
 */
final class FieldPath {
  private final String name;
  private final List<String> steps;

  private FieldPath(String name, List<String> steps) {
    this.name = name;
    this.steps = steps;
  }

  /** The path a column option names; an {@link IllegalArgumentException} for an empty step. */
  static FieldPath of(String name, String option) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(option + " must name a column");
    }
    List<String> steps = new ArrayList<>();
    int start = 0;
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', start)) {
      steps.add(name.substring(start, dot));
      start = dot + 1;
    }
    steps.add(name.substring(start));
    if (steps.size() > 1 && steps.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          option + " '" + name + "': a dotted path needs a name between the dots");
    }
    return new FieldPath(name, List.copyOf(steps));
  }

  String name() {
    return name;
  }

  /**
   * Removes the field from the record and returns its value, or null when the record has none. An
   * object the removal leaves empty is removed as well: it held nothing but the mapped field.
   */
  JsonNode take(ObjectNode record) {
    JsonNode whole = record.remove(name);
    if (whole != null || steps.size() == 1) {
      return whole;
    }
    return take(record, 0);
  }

  private JsonNode take(ObjectNode parent, int step) {
    String key = steps.get(step);
    if (step == steps.size() - 1) {
      return parent.remove(key);
    }
    JsonNode child = parent.get(key);
    if (!(child instanceof ObjectNode object)) {
      return null;
    }
    JsonNode value = take(object, step + 1);
    if (value != null && object.isEmpty()) {
      parent.remove(key);
    }
    return value;
  }

  @Override
  public String toString() {
    return name;
  }
}
