package io.tracetics.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.funnels.FunnelApi;
import io.tracetics.funnels.ReportParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a share link shows, built from a funnel's report and definition by allow-lists: the report's
 * numbers, the funnel's name and the parts of its steps a chart draws (names, events, filters, time
 * limits), the parameters the report was computed with and those the viewer may change. Anything
 * not listed here (the watermark's event id and load position, cohort ids, any future field) is
 * left out, so a new field of the report is private until it is added here on purpose.
 */
public final class SharedReport {
  private SharedReport() {}

  /** The shape a value may have to pass: its fields, its items, or a scalar. */
  private sealed interface Shape permits Scalar, Obj, Arr, ScalarOrList {}

  /** A string, number, boolean or null. */
  private record Scalar() implements Shape {}

  /** A scalar or an array of scalars (a filter's value). */
  private record ScalarOrList() implements Shape {}

  /** An object keeping only these fields. */
  private record Obj(Map<String, Shape> fields) implements Shape {}

  /** An array of one shape. */
  private record Arr(Shape items) implements Shape {}

  private static final Shape SCALAR = new Scalar();

  private static Obj obj(Object... nameShapePairs) {
    Map<String, Shape> fields = new LinkedHashMap<>();
    for (int i = 0; i < nameShapePairs.length; i += 2) {
      fields.put((String) nameShapePairs[i], (Shape) nameShapePairs[i + 1]);
    }
    return new Obj(fields);
  }

  private static Obj scalars(String... names) {
    Map<String, Shape> fields = new LinkedHashMap<>();
    for (String name : names) {
      fields.put(name, SCALAR);
    }
    return new Obj(fields);
  }

  private static final Obj SIGNIFICANCE = scalars("p_value", "adjusted_p_value", "method");

  private static final Obj STEP;

  static {
    Obj comparison =
        scalars(
            "previous_users",
            "rest_users",
            "conversion_from_first",
            "previous_conversion_from_first",
            "rest_conversion_from_first",
            "difference");
    comparison.fields().put("significance", SIGNIFICANCE);
    Obj timeToConvert = scalars("median_seconds", "p90_seconds", "mean_seconds");
    timeToConvert
        .fields()
        .put("histogram", new Arr(scalars("from_seconds", "to_seconds", "users")));
    STEP =
        scalars(
            "index",
            "event_name",
            "name",
            "users",
            "conversion_from_first",
            "conversion_from_previous",
            "drop_off");
    STEP.fields().put("time_to_convert", timeToConvert);
    STEP.fields().put("alternatives", new Arr(scalars("index", "event_name", "users")));
    STEP.fields().put("comparison", comparison);
  }

  /** The report: its own fields and, with compare=previous, the previous period's report. */
  private static final Obj REPORT =
      obj(
          "steps",
          new Arr(STEP),
          "breakdowns",
          new Arr(obj("value", SCALAR, "other", SCALAR, "steps", new Arr(STEP))),
          "trends",
          new Arr(scalars("period", "entered", "completed", "conversion_rate")),
          "count_by",
          scalars("property", "unassigned_events"),
          "compare",
          scalars("with", "from", "to", "previous_from", "previous_to"),
          "computed_at",
          SCALAR,
          "data_through",
          SCALAR,
          "cached",
          SCALAR);

  static {
    REPORT.fields().put("previous", REPORT);
  }

  private static final Obj FILTER =
      obj("property", SCALAR, "op", SCALAR, "value", new ScalarOrList(), "source", SCALAR);

  private static final Obj DEFINITION_STEP =
      obj(
          "name", SCALAR,
          "event_name", SCALAR,
          "filters", new Arr(FILTER),
          "any_of", new Arr(obj("event_name", SCALAR, "filters", new Arr(FILTER))),
          "within_seconds", SCALAR);

  /**
   * The shared answer: {@code funnel} (name and steps), {@code report}, {@code parameters} (what it
   * was computed with: the viewer's where given, else the funnel's saved defaults) and {@code
   * allowed_parameters}.
   */
  public static ObjectNode of(
      ObjectMapper json,
      FunnelApi.Definition definition,
      ObjectNode report,
      ReportParams asked,
      List<String> allowed) {
    ObjectNode answer = json.createObjectNode();
    ObjectNode funnel = answer.putObject("funnel");
    funnel.put("name", definition.name());
    funnel.set("steps", copy(json, json.valueToTree(definition.steps()), new Arr(DEFINITION_STEP)));
    answer.set("report", copy(json, report, REPORT));
    ObjectNode parameters = answer.putObject("parameters");
    parameters.put("from", or(asked.from(), definition.from()));
    parameters.put("to", or(asked.to(), definition.to()));
    parameters.put("breakdown", or(asked.breakdown(), definition.breakdown()));
    parameters.put("breakdown_source", or(asked.breakdownSource(), definition.breakdownSource()));
    parameters.put("interval", or(asked.interval(), definition.interval()));
    parameters.put("mode", or(asked.mode(), definition.order()));
    parameters.put("compare", asked.compare());
    ArrayNode names = answer.putArray("allowed_parameters");
    allowed.forEach(names::add);
    return answer;
  }

  private static String or(String given, String saved) {
    return given != null ? given : saved;
  }

  /** {@code node} cut down to {@code shape}; null where it does not fit. */
  private static JsonNode copy(ObjectMapper json, JsonNode node, Shape shape) {
    if (node == null) {
      return null;
    }
    if (shape instanceof Scalar) {
      return node.isValueNode() ? node : null;
    }
    if (shape instanceof ScalarOrList) {
      if (node.isValueNode()) {
        return node;
      }
      return node.isArray() ? copy(json, node, new Arr(SCALAR)) : null;
    }
    if (shape instanceof Arr array) {
      if (!node.isArray()) {
        return null;
      }
      ArrayNode items = json.createArrayNode();
      for (JsonNode item : node) {
        JsonNode kept = copy(json, item, array.items());
        if (kept != null) {
          items.add(kept);
        }
      }
      return items;
    }
    Obj object = (Obj) shape;
    if (!node.isObject()) {
      return null;
    }
    ObjectNode kept = json.createObjectNode();
    object
        .fields()
        .forEach(
            (name, fieldShape) -> {
              JsonNode value = copy(json, node.get(name), fieldShape);
              if (value != null) {
                kept.set(name, value);
              }
            });
    return kept;
  }
}
