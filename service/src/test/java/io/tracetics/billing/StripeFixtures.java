package io.tracetics.billing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Realistic Stripe webhook payloads, built from the JSON fixtures under {@code stripe/} (copied
 * from Stripe's documented event shapes), and signed the way Stripe signs them.
 */
final class StripeFixtures {
  static final String SECRET = "whsec_test_5fA9cQ2LxR7mN4pK8sT1vW3yZ6bD0eG";
  static final String PRO_PRICE = "price_test_pro_monthly";
  static final String BUSINESS_PRICE = "price_test_business_monthly";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

  private StripeFixtures() {}

  /** Which payload shape and which API version an event is rendered with. */
  enum Version {
    /** stripe-java 33.3.0's own API version: typed deserialisation would work. */
    DAHLIA_ITEMS("2026-07-29.dahlia", true),
    /** Another release train: stripe-java's typed object is empty. */
    BASIL_ITEMS("2025-03-31.basil", true),
    /** Before 2025-03-31: the period at the subscription root, invoice.subscription at the root. */
    LEGACY_ROOT("2024-06-20", false);

    final String apiVersion;
    final boolean periodOnItems;

    Version(String apiVersion, boolean periodOnItems) {
      this.apiVersion = apiVersion;
      this.periodOnItems = periodOnItems;
    }

    String subscriptionTemplate() {
      return periodOnItems ? "subscription.basil.json" : "subscription.legacy.json";
    }

    String invoiceTemplate() {
      return periodOnItems ? "invoice.basil.json" : "invoice.legacy.json";
    }
  }

  static String newId(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  /** A customer.subscription.* event. */
  static final class Subscription {
    Version version = Version.DAHLIA_ITEMS;
    String type = "customer.subscription.updated";
    String eventId = newId("evt_");
    long created;
    String subscriptionId;
    String customerId;
    String tenantMetadata;
    String priceId = PRO_PRICE;
    String priceMetadataPlan;
    String status = "active";
    long periodStart;
    long periodEnd;

    Subscription(Version version, String subscriptionId, String customerId, long created) {
      this.version = version;
      this.subscriptionId = subscriptionId;
      this.customerId = customerId;
      this.created = created;
      this.periodStart = created;
      this.periodEnd = created + 30 * 86_400L;
    }

    Subscription type(String type) {
      this.type = type;
      return this;
    }

    Subscription status(String status) {
      this.status = status;
      return this;
    }

    Subscription price(String priceId) {
      this.priceId = priceId;
      return this;
    }

    Subscription priceMetadataPlan(String plan) {
      this.priceMetadataPlan = plan;
      return this;
    }

    Subscription tenant(long tenantId) {
      this.tenantMetadata = Long.toString(tenantId);
      return this;
    }

    Subscription period(long start, long end) {
      this.periodStart = start;
      this.periodEnd = end;
      return this;
    }

    Subscription created(long created) {
      this.created = created;
      this.eventId = newId("evt_");
      return this;
    }

    String json() {
      boolean deleted = type.endsWith(".deleted");
      Map<String, String> values = new LinkedHashMap<>();
      values.put("EVENT_ID", eventId);
      values.put("API_VERSION", version.apiVersion);
      values.put("CREATED", Long.toString(created));
      values.put("TYPE", type);
      values.put("SUBSCRIPTION_ID", subscriptionId);
      values.put("CUSTOMER_ID", customerId);
      values.put("SUBSCRIPTION_CREATED", Long.toString(periodStart));
      values.put("PERIOD_START", Long.toString(periodStart));
      values.put("PERIOD_END", Long.toString(periodEnd));
      values.put("STATUS", status);
      values.put("PRICE_ID", priceId);
      values.put("UNIT_AMOUNT", BUSINESS_PRICE.equals(priceId) ? "29900" : "2900");
      values.put("PRICE_METADATA", metadata("tracetics_plan", priceMetadataPlan));
      values.put("SUBSCRIPTION_METADATA", metadata("tenant_id", tenantMetadata));
      values.put("CANCELED_AT", deleted ? Long.toString(created) : "null");
      values.put("ENDED_AT", deleted ? Long.toString(created) : "null");
      values.put("CANCELLATION_REASON", deleted ? "\"cancellation_requested\"" : "null");
      return fill(version.subscriptionTemplate(), values);
    }
  }

  /** invoice.paid or invoice.payment_failed for a subscription's renewal. */
  static String invoice(
      Version version,
      boolean paid,
      String subscriptionId,
      String customerId,
      Long tenantMetadata,
      long created) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("EVENT_ID", newId("evt_"));
    values.put("API_VERSION", version.apiVersion);
    values.put("CREATED", Long.toString(created));
    values.put("TYPE", paid ? "invoice.paid" : "invoice.payment_failed");
    values.put("INVOICE_ID", newId("in_"));
    values.put("SUBSCRIPTION_ID", subscriptionId);
    values.put("CUSTOMER_ID", customerId);
    values.put("PRICE_ID", PRO_PRICE);
    values.put("UNIT_AMOUNT", "2900");
    values.put("AMOUNT_PAID", paid ? "2900" : "0");
    values.put("AMOUNT_REMAINING", paid ? "0" : "2900");
    values.put("ATTEMPT_COUNT", paid ? "1" : "2");
    values.put("AUTO_ADVANCE", paid ? "false" : "true");
    values.put("BILLING_REASON", "subscription_cycle");
    values.put("PERIOD_START", Long.toString(created));
    values.put("PERIOD_END", Long.toString(created + 30 * 86_400L));
    values.put("NEXT_PAYMENT_ATTEMPT", paid ? "null" : Long.toString(created + 3 * 86_400L));
    values.put("INVOICE_STATUS", paid ? "paid" : "open");
    values.put("PAID_AT", paid ? Long.toString(created) : "null");
    values.put("PAID", Boolean.toString(paid));
    values.put(
        "SUBSCRIPTION_METADATA",
        metadata("tenant_id", tenantMetadata == null ? null : tenantMetadata.toString()));
    return fill(version.invoiceTemplate(), values);
  }

  /** checkout.session.completed for a subscription bought through Tracetics' checkout. */
  static String checkoutCompleted(
      Version version,
      String clientReferenceId,
      String customerId,
      String subscriptionId,
      long created) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("EVENT_ID", newId("evt_"));
    values.put("API_VERSION", version.apiVersion);
    values.put("CREATED", Long.toString(created));
    values.put(
        "CLIENT_REFERENCE_ID", clientReferenceId == null ? "null" : '"' + clientReferenceId + '"');
    values.put("CUSTOMER_ID", customerId);
    values.put("SUBSCRIPTION_ID", subscriptionId);
    values.put("EXPIRES_AT", Long.toString(created + 86_400));
    values.put(
        "METADATA",
        clientReferenceId == null
            ? ""
            : "\"tenant_id\": \"" + clientReferenceId + "\", \"tracetics_plan\": \"pro\"");
    return fill("checkout.session.completed.json", values);
  }

  static String customerCreated(String customerId, long created) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("EVENT_ID", newId("evt_"));
    values.put("API_VERSION", Version.DAHLIA_ITEMS.apiVersion);
    values.put("CREATED", Long.toString(created));
    values.put("CUSTOMER_ID", customerId);
    return fill("customer.created.json", values);
  }

  /** The Stripe-Signature header value: {@code t=<unix>,v1=hex(HMAC_SHA256(secret, t.payload))}. */
  static String signature(String payload, long timestamp, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String eventId(String payload) {
    Matcher matcher = Pattern.compile("\"id\": \"(evt_[A-Za-z0-9]+)\"").matcher(payload);
    if (!matcher.find()) {
      throw new IllegalArgumentException("no event id in payload");
    }
    return matcher.group(1);
  }

  private static String metadata(String key, String value) {
    return value == null ? "" : "\"" + key + "\": \"" + value + "\"";
  }

  private static String fill(String template, Map<String, String> values) {
    String text = load(template);
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException(template + ": no value for " + matcher.group(1));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String load(String name) {
    try (InputStream in = StripeFixtures.class.getResourceAsStream("/stripe/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("missing fixture stripe/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
