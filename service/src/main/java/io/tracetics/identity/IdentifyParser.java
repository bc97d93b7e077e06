package io.tracetics.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.ItemError;

/**
 * Validates one identify in the native JSON shape: {@code user_identifier} (required), {@code
 * anonymous_id}, {@code traits} (an object of at most 16 KB), {@code timestamp} and {@code sent_at}
 * (as an event's, with the same clock-skew correction) and {@code event_id} (the idempotency id).
 * An identify must link an anonymous id, set traits, or both. The field rules are the event
 * parser's, so both answer alike.
 */
public final class IdentifyParser {
  private final EventParser fields;

  public IdentifyParser(EventParser fields) {
    this.fields = fields;
  }

  /** Either a valid identify or why it is refused. */
  public sealed interface Result permits Valid, Invalid {}

  public record Valid(Identify identify) implements Result {}

  public record Invalid(ItemError error) implements Result {}

  public Result parse(JsonNode node, long receivedAtMs) {
    try {
      return new Valid(identify(node, receivedAtMs));
    } catch (EventParser.Refused refused) {
      return new Invalid(refused.error());
    }
  }

  private Identify identify(JsonNode node, long receivedAtMs) {
    if (node == null || !node.isObject()) {
      throw EventParser.refuse("invalid_identify", null, "An identify must be a JSON object");
    }
    String user =
        EventParser.requiredText(node, "user_identifier", EventParser.MAX_USER_IDENTIFIER_CHARS);
    String anonymous =
        EventParser.optionalText(node, "anonymous_id", EventParser.MAX_USER_IDENTIFIER_CHARS);
    String traits = fields.jsonObject(node.get("traits"), "traits");
    String id = EventParser.optionalText(node, "event_id", EventParser.MAX_EVENT_ID_CHARS);
    if (anonymous == null && traits == null) {
      throw EventParser.refuse(
          "missing_field",
          "anonymous_id",
          "An identify links 'anonymous_id' to 'user_identifier', sets 'traits', or both;"
              + " it has neither");
    }
    long time =
        EventParser.eventTime(
            EventParser.time(node.get("timestamp"), "timestamp"),
            EventParser.time(node.get("sent_at"), "sent_at"),
            receivedAtMs);
    return new Identify(anonymous, user, traits, time, receivedAtMs, id);
  }
}
