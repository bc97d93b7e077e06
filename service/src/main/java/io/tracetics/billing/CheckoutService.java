package io.tracetics.billing;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;
import io.tracetics.errors.ApiException;
import io.tracetics.ids.TenantId;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Stripe Checkout sessions (subscription mode) for a tenant. The session carries the tenant
 * id as {@code client_reference_id} and in the metadata of both the session and the subscription it
 * creates, so every webhook event about it names the tenant. Nothing changes in Tracetics until
 * Stripe's webhook events arrive.
 */
public class CheckoutService {
  private static final Logger LOG = LoggerFactory.getLogger(CheckoutService.class);

  private final Jdbi jdbi;
  private final PriceCatalog catalog;
  private final StripeClient stripe;

  /**
   * @param stripe null when no API key is configured: checkout is then disabled
   */
  CheckoutService(Jdbi jdbi, PriceCatalog catalog, StripeClient stripe) {
    this.jdbi = jdbi;
    this.catalog = catalog;
    this.stripe = stripe;
  }

  /** A created session: where to send the customer. */
  public record CheckoutSession(String sessionId, String url) {}

  public CheckoutSession create(TenantId tenant, String plan, String successUrl, String cancelUrl) {
    if (stripe == null) {
      throw BillingDisabledException.checkout();
    }
    String price =
        catalog
            .priceFor(plan)
            .orElseThrow(
                () ->
                    new ApiException(
                        422,
                        "unknown_plan",
                        "Plan '"
                            + plan
                            + "' cannot be bought here; plans with a configured price: "
                            + catalog.purchasablePlans(),
                        Map.of("plan", plan)));
    BillingStateRow state =
        jdbi.withExtension(BillingDao.class, dao -> dao.find(tenant))
            .orElseThrow(() -> ApiException.notFound("Tenant", tenant));
    SessionCreateParams.Builder params =
        SessionCreateParams.builder()
            .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
            .setClientReferenceId(tenant.toString())
            .setSuccessUrl(successUrl)
            .setCancelUrl(cancelUrl)
            .addLineItem(
                SessionCreateParams.LineItem.builder().setPrice(price).setQuantity(1L).build())
            .putMetadata("tenant_id", tenant.toString())
            .putMetadata(PriceCatalog.PRICE_METADATA_KEY, plan)
            .setSubscriptionData(
                SessionCreateParams.SubscriptionData.builder()
                    .putMetadata("tenant_id", tenant.toString())
                    .build());
    if (state.stripeCustomerId() != null) {
      // A returning customer keeps one Stripe customer (and one customer -> tenant link).
      params.setCustomer(state.stripeCustomerId());
    }
    try {
      Session session = stripe.v1().checkout().sessions().create(params.build());
      return new CheckoutSession(session.getId(), session.getUrl());
    } catch (AuthenticationException e) {
      LOG.error("Stripe rejected the configured API key (request {})", e.getRequestId());
      throw stripeFailed("Stripe rejected the server's API key; check STRIPE_API_KEY.");
    } catch (StripeException e) {
      LOG.warn(
          "Stripe could not create a checkout session for tenant {}: {} (request {})",
          tenant,
          e.getStripeError() == null
              ? e.getClass().getSimpleName()
              : e.getStripeError().getMessage(),
          e.getRequestId());
      String reason =
          e.getStripeError() != null && e.getStripeError().getMessage() != null
              ? e.getStripeError().getMessage()
              : "Stripe could not be reached";
      throw stripeFailed("Stripe could not create the checkout session: " + reason);
    }
  }

  private static ApiException stripeFailed(String message) {
    return new ApiException(502, "stripe_error", message);
  }
}
