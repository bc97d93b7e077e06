package io.tracetics.billing;

import java.time.Instant;

/**
 * A verified Stripe event, reduced to what billing acts on. Built by {@link StripeEventReader} from
 * the raw JSON, so it reads the same whatever API version the event was rendered with.
 */
sealed interface StripeEvent {
  String CHECKOUT_COMPLETED = "checkout.session.completed";
  String SUBSCRIPTION_CREATED = "customer.subscription.created";
  String SUBSCRIPTION_UPDATED = "customer.subscription.updated";
  String SUBSCRIPTION_DELETED = "customer.subscription.deleted";
  String INVOICE_PAID = "invoice.paid";
  String INVOICE_PAYMENT_FAILED = "invoice.payment_failed";

  Header header();

  /** The envelope: event id, type, creation time (epoch seconds) and API version. */
  record Header(String id, String type, long created, String apiVersion) {}

  /** {@code checkout.session.completed}: links the paying Stripe customer to a tenant. */
  record CheckoutCompleted(
      Header header,
      String sessionId,
      String clientReferenceId,
      String metadataTenantId,
      String customerId,
      String subscriptionId)
      implements StripeEvent {}

  /**
   * {@code customer.subscription.*}: the whole subscription as it was at {@code header.created}.
   * {@code priceId}/{@code priceMetadataPlan} come from the first item; the period from that item
   * (API 2025-03-31 and later) or from the subscription root (older versions).
   */
  record SubscriptionState(
      Header header,
      String subscriptionId,
      String customerId,
      String status,
      String metadataTenantId,
      String priceId,
      String priceMetadataPlan,
      Instant currentPeriodStart,
      Instant currentPeriodEnd,
      boolean deleted)
      implements StripeEvent {}

  /** {@code invoice.paid} or {@code invoice.payment_failed} for a subscription's invoice. */
  record InvoiceOutcome(
      Header header,
      String invoiceId,
      String customerId,
      String subscriptionId,
      String metadataTenantId,
      boolean paid)
      implements StripeEvent {}

  /** Any other type: acknowledged, recorded as seen, otherwise ignored. */
  record Other(Header header) implements StripeEvent {}
}
