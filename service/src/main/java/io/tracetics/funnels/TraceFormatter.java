package io.tracetics.funnels;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.store.Watermark;
import io.tracetics.engine.trace.FunnelTrace;
import io.tracetics.engine.trace.PersonTrace;
import io.tracetics.engine.trace.TraceAttempt;
import io.tracetics.engine.trace.TraceEvent;
import io.tracetics.engine.trace.TracePopulation;
import io.tracetics.engine.trace.TraceReason;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes a person's (or a unit's) trace as the trace JSON (its field names are part of the public
 * API).
 */
final class TraceFormatter {
  private TraceFormatter() {}

  static ObjectNode format(
      ObjectMapper json, long funnelId, FunnelQuery query, PersonTrace t, long position) {
    FunnelTrace trace = t.trace();
    ObjectNode out = json.createObjectNode();
    out.put("funnel_id", funnelId);
    out.put("user_identifier", t.personId());
    out.put("identifier", t.identifier());
    ArrayNode ids = out.putArray("identifiers");
    t.identifiers().forEach(ids::add);
    // A funnel counting units traces a unit: user_identifier is its value.
    query.countBy().ifPresent(p -> out.putObject("count_by").put("property", p));
    out.put("order", query.order().name().toLowerCase(java.util.Locale.ROOT));
    out.put("window_seconds", query.window().toMillis() / 1000.0);
    out.put("reached_step", trace.reachedStep());
    population(out.putObject("population"), trace.population());
    Optional<TraceAttempt> chosen = trace.chosen();
    if (chosen.isPresent()) {
      out.put("entered_at", time(chosen.get().startMillis()));
    } else {
      out.putNull("entered_at");
    }
    out.set("chain", chain(json, chosen));
    if (trace.nextStep().isPresent()) {
      FunnelTrace.NextStep next = trace.nextStep().get();
      ObjectNode n = out.putObject("next_step");
      n.put("step", next.step());
      n.put("event_name", next.eventName());
      ArrayNode candidates = n.putArray("candidates");
      for (FunnelTrace.Candidate c : next.candidates()) {
        ObjectNode node = event(candidates.addObject(), c.event());
        node.put("reason", c.reason().code().wireName());
        details(json, node, c.reason());
      }
    }
    out.put("events_read", t.eventsRead());
    out.put("computed_at", t.computedAt().toString());
    Watermark mark = t.watermark();
    ObjectNode watermark = out.putObject("watermark");
    watermark.put("events", mark.eventCount());
    if (mark.maxEventId().isPresent()) {
      watermark.put("max_event_id", mark.maxEventId().getAsLong());
    } else {
      watermark.putNull("max_event_id");
    }
    watermark.put("load_position", position);
    watermark.put("identity_version", mark.identityVersion());
    return out;
  }

  /** Always written: {@code in_population} is true for a funnel without cohorts. */
  private static void population(ObjectNode node, TracePopulation p) {
    node.put("in_population", p.inPopulation());
    p.reason().ifPresent(r -> node.put("reason", r.wireName()));
    p.cohortId().ifPresent(id -> node.put("cohort_id", id));
  }

  private static ArrayNode chain(ObjectMapper json, Optional<TraceAttempt> attempt) {
    ArrayNode chain = json.createArrayNode();
    attempt.ifPresent(
        a -> {
          for (TraceAttempt.ChainLink link : a.chain()) {
            ObjectNode node = chain.addObject();
            node.put("step", link.step());
            event(node, link.event());
          }
        });
    return chain;
  }

  private static ObjectNode event(ObjectNode node, TraceEvent e) {
    node.put("event_id", e.eventId());
    node.put("event_name", e.eventName());
    node.put("time", time(e.timeMillis()));
    node.put("user_identifier", e.userIdentifier());
    return node;
  }

  private static void details(ObjectMapper json, ObjectNode node, TraceReason reason) {
    if (reason instanceof TraceReason.OutsideWindow r) {
      node.put("excess_seconds", r.excessMillis() / 1000.0);
      node.put("window_end", time(r.windowEndMillis()));
    } else if (reason instanceof TraceReason.StepTimeLimit r) {
      node.put("within_seconds", r.limitMillis() / 1000.0);
      node.put("limit_end", time(r.limitEndMillis()));
      node.put("excess_seconds", r.excessMillis() / 1000.0);
    } else if (reason instanceof TraceReason.ExcludedBy r) {
      node.put("exclusion", r.exclusion());
      event(node.putObject("excluding_event"), r.excluding());
      ObjectNode attempt = node.putObject("attempt");
      attempt.put("entered_at", time(r.attempt().startMillis()));
      attempt.put("reached_step", r.attempt().level() - 1);
      attempt.set("chain", chain(json, Optional.of(r.attempt())));
    } else if (reason instanceof TraceReason.FilterMismatch r) {
      node.put("property", r.filter().property());
      node.put("source", r.filter().source().wire());
      node.put("op", r.filter().op().wireName());
      ArrayNode values = node.putArray("values");
      r.filter().values().forEach(values::add);
      node.put("actual", r.actual());
    } else if (reason instanceof TraceReason.StrictBreak r) {
      event(node.putObject("breaking_event"), r.breaking());
    } else if (reason instanceof TraceReason.HoldConstantMismatch r) {
      node.put("property", r.property());
      node.put("expected", r.expected());
      node.put("actual", r.actual());
    } else if (reason instanceof TraceReason.OutsideDateRange r) {
      node.put("from", r.from().map(Instant::toString).orElse(null));
      node.put("to", r.to().map(Instant::toString).orElse(null));
    } else if (reason instanceof TraceReason.BeforePreviousStep r) {
      node.put("previous_step_time", time(r.previousStepMillis()));
    } else if (reason instanceof TraceReason.BeforeEntry r) {
      node.put("entered_at", time(r.entryMillis()));
    } else if (reason instanceof TraceReason.UsedByChain r) {
      node.put("used_by_step", r.step());
    }
  }

  private static String time(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
