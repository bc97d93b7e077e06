package io.tracetics.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The traits rule, on JSON object texts (null: no traits). An identify's traits patch the person's:
 * each key takes the new value, a null value removes the key (JSON merge patch, one level). When a
 * merge makes an identifier an alias, its traits fill the keys its new person lacks: the person's
 * own values win, as they are the signed-in user's.
 */
public final class PersonTraits {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PersonTraits() {}

  /** {@code current} with {@code patch} applied; null when no key is left. */
  public static String patch(String current, String patch) {
    ObjectNode out = parse(current);
    ObjectNode changes = parse(patch);
    for (Iterator<Map.Entry<String, JsonNode>> it = changes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), e.getValue());
      }
    }
    return text(out);
  }

  /** The person's traits after {@code alias}'s traits join them (the person's values win). */
  public static String absorb(String person, String alias) {
    ObjectNode out = parse(person);
    ObjectNode joining = parse(alias);
    for (Iterator<Map.Entry<String, JsonNode>> it = joining.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!out.has(e.getKey())) {
        out.set(e.getKey(), e.getValue());
      }
    }
    return text(out);
  }

  private static ObjectNode parse(String json) {
    if (json == null) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(json);
      if (!node.isObject()) {
        throw new IllegalArgumentException("traits must be a JSON object: " + json);
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("traits are not JSON", e);
    }
  }

  private static String text(ObjectNode node) {
    if (node.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
