package io.tracetics.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.tracetics.errors.ApiException;
import java.time.Instant;

/**
 * Verifies a webhook delivery and reads it into a {@link StripeEvent}.
 *
 * <p>The signature is checked first, on the raw body, with stripe-java's {@link Webhook} and its
 * standard tolerance (300 s); nothing is parsed before that. The event's data object is then read
 * from the raw JSON rather than through stripe-java's typed models: those come back empty when the
 * event's {@code api_version} belongs to another release train than the library's, and stripe-java
 * 33's {@code Subscription} has no root {@code current_period_end}, which payloads before API
 * 2025-03-31 carry. One reading path serves every API version.
 */
final class StripeEventReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String signingSecret;

  StripeEventReader(String signingSecret) {
    this.signingSecret = signingSecret;
  }

  StripeEvent read(String payload, String signatureHeader) {
    if (signatureHeader == null || signatureHeader.isBlank()) {
      throw invalidSignature("The Stripe-Signature header is missing");
    }
    if (payload == null || payload.isEmpty()) {
      throw malformed("The request body is empty");
    }
    try {
      Webhook.constructEvent(payload, signatureHeader, signingSecret);
    } catch (SignatureVerificationException e) {
      // Stripe's messages ("No signatures found matching...", "Timestamp outside the tolerance
      // zone") name the problem and never the secret.
      throw invalidSignature("Stripe signature check failed: " + e.getMessage());
    } catch (RuntimeException e) {
      // Correctly signed, but not JSON (gson's JsonSyntaxException and relatives).
      throw malformed("The body is not a Stripe event");
    }
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      throw malformed("The body is not a Stripe event");
    }
    return parse(root);
  }

  static StripeEvent parse(JsonNode root) {
    String id = text(root, "id");
    String type = text(root, "type");
    JsonNode created = root.path("created");
    JsonNode object = root.path("data").path("object");
    if (id == null || type == null || !created.canConvertToLong() || !object.isObject()) {
      throw malformed("The body is not a Stripe event: id, type, created and data.object needed");
    }
    StripeEvent.Header header =
        new StripeEvent.Header(id, type, created.asLong(), text(root, "api_version"));
    return switch (type) {
      case StripeEvent.CHECKOUT_COMPLETED ->
          new StripeEvent.CheckoutCompleted(
              header,
              text(object, "id"),
              text(object, "client_reference_id"),
              text(object.path("metadata"), "tenant_id"),
              idOf(object.path("customer")),
              idOf(object.path("subscription")));
      case StripeEvent.SUBSCRIPTION_CREATED,
          StripeEvent.SUBSCRIPTION_UPDATED,
          StripeEvent.SUBSCRIPTION_DELETED ->
          subscription(header, object);
      case StripeEvent.INVOICE_PAID, StripeEvent.INVOICE_PAYMENT_FAILED -> invoice(header, object);
      default -> new StripeEvent.Other(header);
    };
  }

  private static StripeEvent.SubscriptionState subscription(
      StripeEvent.Header header, JsonNode sub) {
    String subscriptionId = text(sub, "id");
    if (subscriptionId == null) {
      throw malformed("The subscription in the event has no id");
    }
    JsonNode item = sub.path("items").path("data").path(0);
    JsonNode price = item.path("price");
    // API >= 2025-03-31: the period is on each item; older versions: on the subscription.
    JsonNode periodStart =
        firstNumber(item.path("current_period_start"), sub.path("current_period_start"));
    JsonNode periodEnd =
        firstNumber(item.path("current_period_end"), sub.path("current_period_end"));
    return new StripeEvent.SubscriptionState(
        header,
        subscriptionId,
        idOf(sub.path("customer")),
        text(sub, "status"),
        text(sub.path("metadata"), "tenant_id"),
        idOf(price),
        text(price.path("metadata"), "tracetics_plan"),
        epochSeconds(periodStart),
        epochSeconds(periodEnd),
        StripeEvent.SUBSCRIPTION_DELETED.equals(header.type()));
  }

  private static StripeEvent.InvoiceOutcome invoice(StripeEvent.Header header, JsonNode invoice) {
    // API >= 2025-03-31: parent.subscription_details; older versions: subscription at the root
    // and subscription_details.metadata.
    JsonNode details = invoice.path("parent").path("subscription_details");
    String subscriptionId = idOf(details.path("subscription"));
    if (subscriptionId == null) {
      subscriptionId = idOf(invoice.path("subscription"));
    }
    String tenantId = text(details.path("metadata"), "tenant_id");
    if (tenantId == null) {
      tenantId = text(invoice.path("subscription_details").path("metadata"), "tenant_id");
    }
    return new StripeEvent.InvoiceOutcome(
        header,
        text(invoice, "id"),
        idOf(invoice.path("customer")),
        subscriptionId,
        tenantId,
        StripeEvent.INVOICE_PAID.equals(header.type()));
  }

  /** An expandable field: either the id as a string or the expanded object with its id. */
  private static String idOf(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    return node.isObject() ? text(node, "id") : null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  private static JsonNode firstNumber(JsonNode first, JsonNode second) {
    return first.canConvertToLong() && !first.isTextual() ? first : second;
  }

  private static Instant epochSeconds(JsonNode node) {
    return node.canConvertToLong() && !node.isTextual()
        ? Instant.ofEpochSecond(node.asLong())
        : null;
  }

  private static ApiException invalidSignature(String message) {
    return ApiException.badRequest("invalid_signature", message);
  }

  private static ApiException malformed(String message) {
    return ApiException.badRequest("malformed_event", message);
  }
}
