package io.tracetics.billing;

import io.tracetics.db.DatabaseFailures;
import io.tracetics.errors.ApiException;
import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.PlanCatalog;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Stripe webhook events to tenants' subscription state. Stripe is the only source of truth;
 * this is the only writer of the billing columns.
 *
 * <p>Guarantees, all inside one transaction per event:
 *
 * <ul>
 *   <li><b>At most once:</b> the event id is inserted into {@code stripe_events} first; a
 *       redelivery (even a concurrent one, which waits on the key) fails on the primary key and is
 *       answered as a duplicate without touching anything.
 *   <li><b>No roll-back:</b> under a row lock on the tenant, a subscription state is applied only
 *       if its event is not older than the newest state applied ({@code subscription_state_at});
 *       invoice events likewise against {@code payment_state_at}.
 *   <li><b>Deleted stays deleted:</b> an ended subscription id is recorded and never applied again;
 *       a new subscription id starts afresh.
 * </ul>
 */
public class BillingService {
  private static final Logger LOG = LoggerFactory.getLogger(BillingService.class);
  private static final String FREE_PLAN = PlanCatalog.FREE;
  private static final Set<String> ENDED_STATUSES = Set.of("canceled", "incomplete_expired");
  private static final Set<String> FAILING_STATUSES = Set.of("past_due", "unpaid");
  private static final Set<String> PAID_STATUSES = Set.of("active", "trialing");

  private final Jdbi jdbi;
  private final PriceCatalog catalog;
  private final StripeEventReader reader;
  private final long graceSeconds;

  /**
   * @param reader null when no webhook signing secret is configured: the webhook is then disabled
   */
  BillingService(Jdbi jdbi, PriceCatalog catalog, StripeEventReader reader, int graceDays) {
    this.jdbi = jdbi;
    this.catalog = catalog;
    this.reader = reader;
    this.graceSeconds = graceDays * 86_400L;
  }

  /** What became of one delivery. */
  public enum Outcome {
    APPLIED,
    DUPLICATE,
    STALE,
    IGNORED;

    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The answer to Stripe (and to a person reading the webhook log in Stripe's dashboard). */
  public record Result(String eventId, String type, Outcome outcome, String detail) {}

  /**
   * Verifies the delivery's signature on the raw body, then applies the event once.
   *
   * @throws ApiException 400 for a missing or wrong signature, a stale timestamp or a body that is
   *     not an event; 422 for a subscription whose price maps to no plan (not recorded, so Stripe
   *     retries after the configuration is fixed); 503 when the webhook is not configured
   */
  public Result receive(String payload, String signatureHeader) {
    if (reader == null) {
      throw BillingDisabledException.webhook();
    }
    StripeEvent event = reader.read(payload, signatureHeader);
    Result result =
        jdbi.inTransaction(
            TransactionIsolationLevel.READ_COMMITTED, handle -> apply(handle, event));
    if (result.outcome() == Outcome.APPLIED || result.outcome() == Outcome.STALE) {
      LOG.info(
          "Stripe event {} ({}): {} - {}",
          result.eventId(),
          result.type(),
          result.outcome().key(),
          result.detail());
    }
    return result;
  }

  private Result apply(Handle handle, StripeEvent event) {
    StripeEvent.Header header = event.header();
    if (!recordFirstDelivery(handle, header)) {
      return result(header, Outcome.DUPLICATE, "event already received");
    }
    if (event instanceof StripeEvent.CheckoutCompleted checkout) {
      return applyCheckout(handle, checkout);
    } else if (event instanceof StripeEvent.SubscriptionState subscription) {
      return applySubscription(handle, subscription);
    } else if (event instanceof StripeEvent.InvoiceOutcome invoice) {
      return applyInvoice(handle, invoice);
    }
    return result(header, Outcome.IGNORED, "event type not used by Tracetics");
  }

  /** False when the event id is already recorded (committed by an earlier or concurrent call). */
  private static boolean recordFirstDelivery(Handle handle, StripeEvent.Header header) {
    try {
      handle.attach(StripeEventDao.class).insert(header.id(), header.type(), header.created());
      return true;
    } catch (UnableToExecuteStatementException e) {
      if (DatabaseFailures.classify(e) == DatabaseFailures.Kind.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  private Result applyCheckout(Handle handle, StripeEvent.CheckoutCompleted checkout) {
    BillingDao billing = handle.attach(BillingDao.class);
    String named =
        checkout.clientReferenceId() != null
            ? checkout.clientReferenceId()
            : checkout.metadataTenantId();
    Optional<TenantId> tenant = existingTenant(billing, named);
    if (tenant.isEmpty()) {
      LOG.warn(
          "Stripe checkout session {} names no known tenant (client_reference_id {}); ignored",
          checkout.sessionId(),
          checkout.clientReferenceId());
      return result(checkout.header(), Outcome.IGNORED, "no tenant for this checkout session");
    }
    BillingStateRow state = lock(billing, tenant.get());
    attribute(handle, state.tenantId(), checkout.header());
    if (checkout.customerId() == null) {
      return result(checkout.header(), Outcome.IGNORED, "checkout session without a customer");
    }
    if (!linkCustomer(billing, state, checkout.customerId())) {
      return result(
          checkout.header(), Outcome.IGNORED, "customer already belongs to another tenant");
    }
    return result(
        checkout.header(), Outcome.APPLIED, "customer linked to tenant " + state.tenantId());
  }

  private Result applySubscription(Handle handle, StripeEvent.SubscriptionState sub) {
    BillingDao billing = handle.attach(BillingDao.class);
    StripeEvent.Header header = sub.header();
    Optional<TenantId> tenant = tenantOf(billing, sub.metadataTenantId(), sub.customerId());
    if (tenant.isEmpty()) {
      LOG.warn(
          "Stripe subscription {} (customer {}) belongs to no known tenant; ignored",
          sub.subscriptionId(),
          sub.customerId());
      return result(header, Outcome.IGNORED, "no tenant for this subscription");
    }
    BillingStateRow state = lock(billing, tenant.get());
    TenantId tenantId = state.tenantId();
    attribute(handle, tenantId, header);

    if (billing.isEnded(sub.subscriptionId())) {
      return result(header, Outcome.STALE, "subscription " + sub.subscriptionId() + " has ended");
    }
    boolean current =
        state.stripeSubscriptionId() == null
            || state.stripeSubscriptionId().equals(sub.subscriptionId());
    if (sub.deleted() || ENDED_STATUSES.contains(sub.status())) {
      // An end is final, whatever order it arrives in.
      billing.markEnded(tenantId, sub.subscriptionId(), header.created());
      if (!current) {
        return result(
            header, Outcome.APPLIED, "ended " + sub.subscriptionId() + ", not the current one");
      }
      billing.applySubscription(
          tenantId,
          FREE_PLAN,
          sub.subscriptionId(),
          sub.status() == null ? "canceled" : sub.status(),
          sub.currentPeriodEnd(),
          Math.max(header.created(), orZero(state.subscriptionStateAt())));
      billing.clearGrace(tenantId);
      return result(header, Outcome.APPLIED, "subscription ended: back to the free plan");
    }
    if (state.subscriptionStateAt() != null && header.created() < state.subscriptionStateAt()) {
      return result(header, Outcome.STALE, "a newer subscription state is already applied");
    }
    String plan =
        catalog
            .planFor(sub.priceId(), sub.priceMetadataPlan())
            .orElseThrow(() -> unknownPrice(sub));
    if (sub.customerId() != null && !linkCustomer(billing, state, sub.customerId())) {
      return result(header, Outcome.IGNORED, "customer already belongs to another tenant");
    }
    billing.applySubscription(
        tenantId,
        plan,
        sub.subscriptionId(),
        sub.status(),
        sub.currentPeriodEnd(),
        header.created());
    if (FAILING_STATUSES.contains(sub.status())) {
      // The grace clock may start here when the failed invoice's own event is late or not sent,
      // unless a newer invoice event already settled the payment state.
      if (state.paymentStateAt() == null || header.created() > state.paymentStateAt()) {
        billing.startGrace(tenantId, header.created(), header.created() + graceSeconds);
      }
    } else if (PAID_STATUSES.contains(sub.status())
        && state.paymentFailedAt() != null
        && header.created() > state.paymentFailedAt()) {
      billing.clearGrace(tenantId);
    }
    return result(header, Outcome.APPLIED, "plan " + plan + ", status " + sub.status());
  }

  private Result applyInvoice(Handle handle, StripeEvent.InvoiceOutcome invoice) {
    BillingDao billing = handle.attach(BillingDao.class);
    StripeEvent.Header header = invoice.header();
    Optional<TenantId> tenant = tenantOf(billing, invoice.metadataTenantId(), invoice.customerId());
    if (tenant.isEmpty()) {
      return result(header, Outcome.IGNORED, "no tenant for this invoice");
    }
    BillingStateRow state = lock(billing, tenant.get());
    TenantId tenantId = state.tenantId();
    attribute(handle, tenantId, header);
    if (invoice.subscriptionId() == null) {
      return result(header, Outcome.IGNORED, "not a subscription invoice");
    }
    if (state.stripeSubscriptionId() != null
        && !state.stripeSubscriptionId().equals(invoice.subscriptionId())) {
      return result(header, Outcome.IGNORED, "invoice of another subscription");
    }
    if (state.paymentStateAt() != null && header.created() < state.paymentStateAt()) {
      return result(header, Outcome.STALE, "a newer invoice event is already applied");
    }
    billing.setPaymentStateAt(tenantId, header.created());
    if (invoice.paid()) {
      billing.clearGrace(tenantId);
      return result(header, Outcome.APPLIED, "payment succeeded: grace cleared");
    }
    billing.startGrace(tenantId, header.created(), header.created() + graceSeconds);
    return result(header, Outcome.APPLIED, "payment failed: grace period running");
  }

  /**
   * The tenant an object belongs to: the one named in its metadata ({@code tenant_id}, set by our
   * checkout), else the one its Stripe customer is linked to.
   */
  private static Optional<TenantId> tenantOf(
      BillingDao billing, String metadataTenantId, String customerId) {
    Optional<TenantId> named = existingTenant(billing, metadataTenantId);
    if (named.isPresent()) {
      return named;
    }
    return customerId == null ? Optional.empty() : billing.tenantOfCustomer(customerId);
  }

  private static Optional<TenantId> existingTenant(BillingDao billing, String tenantId) {
    if (tenantId == null || !tenantId.matches("[1-9][0-9]{0,17}")) {
      return Optional.empty();
    }
    return billing.find(new TenantId(Long.parseLong(tenantId))).map(BillingStateRow::tenantId);
  }

  private static BillingStateRow lock(BillingDao billing, TenantId tenant) {
    return billing.lock(tenant).orElseThrow(() -> ApiException.notFound("Tenant", tenant));
  }

  /**
   * Links the customer to the tenant. False (and nothing changed) when the customer is already
   * linked to another tenant: one Stripe customer pays for one tenant.
   */
  private static boolean linkCustomer(BillingDao billing, BillingStateRow state, String customer) {
    if (customer.equals(state.stripeCustomerId())) {
      return true;
    }
    Optional<TenantId> owner = billing.tenantOfCustomer(customer);
    if (owner.isPresent() && !owner.get().equals(state.tenantId())) {
      LOG.warn(
          "Stripe customer {} is linked to tenant {}, not tenant {}; event ignored",
          customer,
          owner.get(),
          state.tenantId());
      return false;
    }
    billing.linkCustomer(state.tenantId(), customer);
    return true;
  }

  private static void attribute(Handle handle, TenantId tenant, StripeEvent.Header header) {
    handle.attach(StripeEventDao.class).attribute(tenant, header.id());
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static Result result(StripeEvent.Header header, Outcome outcome, String detail) {
    return new Result(header.id(), header.type(), outcome, detail);
  }

  private static ApiException unknownPrice(StripeEvent.SubscriptionState sub) {
    return new ApiException(
        422,
        "unknown_price",
        "Subscription "
            + sub.subscriptionId()
            + " uses price "
            + sub.priceId()
            + ", which maps to no plan: add it to stripe.prices or set the price's metadata "
            + PriceCatalog.PRICE_METADATA_KEY
            + ". The event was not applied; Stripe will retry it.");
  }
}
