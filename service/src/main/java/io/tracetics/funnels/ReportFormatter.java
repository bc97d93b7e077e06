package io.tracetics.funnels;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.engine.exec.AlternativeCount;
import io.tracetics.engine.exec.BreakdownGroup;
import io.tracetics.engine.exec.FunnelResult;
import io.tracetics.engine.exec.HistogramBucket;
import io.tracetics.engine.exec.StepResult;
import io.tracetics.engine.exec.TimeToConvert;
import io.tracetics.engine.exec.TrendPoint;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Writes an engine result as the report JSON (its field names are part of the public API contract).
 */
final class ReportFormatter {
  private ReportFormatter() {}

  static ObjectNode format(ObjectMapper json, FunnelResult result, long dataThroughSeq) {
    ObjectNode report = json.createObjectNode();
    report.set("steps", steps(json, result.steps()));
    ArrayNode breakdowns = report.putArray("breakdowns");
    for (BreakdownGroup group : result.breakdowns()) {
      ObjectNode g = breakdowns.addObject();
      if (group.value() == null) {
        g.putNull("value");
      } else {
        g.put("value", group.value());
      }
      g.put("other", group.other());
      g.set("steps", steps(json, group.steps()));
    }
    ArrayNode trends = report.putArray("trends");
    for (TrendPoint point : result.trends()) {
      ObjectNode t = trends.addObject();
      t.put("period", point.period().toString());
      t.put("entered", point.entered());
      t.put("completed", point.completed());
      t.put("conversion_rate", point.conversionRate());
    }
    result
        .countBy()
        .ifPresent(
            c -> {
              // The funnel counts this property's values: users are units, not persons.
              ObjectNode countBy = report.putObject("count_by");
              countBy.put("property", c.property());
              countBy.put("unassigned_events", c.unassignedEvents());
            });
    report.put("computed_at", result.computedAt().toString());
    var through = result.dataThrough();
    if (through.newestReceivedAt().isPresent()) {
      report.put("data_through", through.newestReceivedAt().get().toString());
    } else {
      report.putNull("data_through");
    }
    ObjectNode watermark = report.putObject("watermark");
    watermark.put("events", through.eventCount());
    if (through.maxEventId().isPresent()) {
      watermark.put("max_event_id", through.maxEventId().getAsLong());
    } else {
      watermark.putNull("max_event_id");
    }
    watermark.put("load_position", dataThroughSeq);
    watermark.put("identity_version", through.identityVersion());
    report.put("cached", false);
    return report;
  }

  private static ArrayNode steps(ObjectMapper json, List<StepResult> steps) {
    ArrayNode array = json.createArrayNode();
    for (StepResult step : steps) {
      ObjectNode s = array.addObject();
      s.put("index", step.index());
      s.put("event_name", step.eventName());
      s.put("name", step.name());
      s.put("users", step.users());
      s.put("conversion_from_first", step.conversionFromFirst());
      s.put("conversion_from_previous", step.conversionFromPrevious());
      s.put("drop_off", step.dropOff());
      TimeToConvert ttc = step.timeToConvert();
      ObjectNode t = s.putObject("time_to_convert");
      put(t, "median_seconds", ttc.medianSeconds());
      put(t, "p90_seconds", ttc.p90Seconds());
      put(t, "mean_seconds", ttc.meanSeconds());
      ArrayNode histogram = t.putArray("histogram");
      for (HistogramBucket bucket : ttc.histogram()) {
        ObjectNode b = histogram.addObject();
        b.put("from_seconds", bucket.fromSeconds());
        put(b, "to_seconds", bucket.toSeconds());
        b.put("users", bucket.users());
      }
      if (!step.alternatives().isEmpty()) {
        ArrayNode alternatives = s.putArray("alternatives");
        for (AlternativeCount a : step.alternatives()) {
          ObjectNode node = alternatives.addObject();
          node.put("index", a.index());
          node.put("event_name", a.eventName());
          node.put("users", a.users());
        }
      }
    }
    return array;
  }

  private static void put(ObjectNode node, String field, OptionalDouble value) {
    if (value.isPresent()) {
      node.put(field, value.getAsDouble());
    } else {
      node.putNull(field);
    }
  }
}
