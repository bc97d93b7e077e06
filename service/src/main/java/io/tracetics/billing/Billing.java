package io.tracetics.billing;

import com.stripe.StripeClient;
import io.tracetics.tenancy.PlanCatalog;
import java.time.Clock;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the billing services and resources from the {@code stripe} configuration. */
public final class Billing {
  private static final Logger LOG = LoggerFactory.getLogger(Billing.class);
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 20_000;

  private final StripeWebhookResource webhookResource;
  private final BillingResource billingResource;

  private Billing(StripeWebhookResource webhookResource, BillingResource billingResource) {
    this.webhookResource = webhookResource;
    this.billingResource = billingResource;
  }

  /**
   * @throws IllegalArgumentException when {@code stripe.prices} names a plan that does not exist
   */
  public static Billing create(StripeConfig config, Jdbi jdbi, PlanCatalog plans) {
    PriceCatalog catalog = new PriceCatalog(config.prices, Set.copyOf(plans.codes()));
    StripeEventReader reader =
        config.webhookEnabled() ? new StripeEventReader(config.webhookSecret) : null;
    StripeClient stripe =
        config.checkoutEnabled()
            ? StripeClient.builder()
                .setApiKey(config.apiKey)
                .setApiBase(config.apiBase)
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setReadTimeout(READ_TIMEOUT_MS)
                .build()
            : null;
    LOG.info(
        "Billing: webhook {}, checkout {}, {} price(s) mapped, grace {} day(s)",
        reader == null ? "disabled (no STRIPE_WEBHOOK_SECRET)" : "enabled",
        stripe == null ? "disabled (no STRIPE_API_KEY)" : "enabled via " + config.apiBase,
        config.prices.size(),
        config.graceDays);
    BillingService billing = new BillingService(jdbi, catalog, reader, config.graceDays);
    CheckoutService checkout = new CheckoutService(jdbi, catalog, stripe);
    UsageService usage = new UsageService(jdbi, Clock.systemUTC());
    return new Billing(new StripeWebhookResource(billing), new BillingResource(checkout, usage));
  }

  public StripeWebhookResource webhookResource() {
    return webhookResource;
  }

  public BillingResource billingResource() {
    return billingResource;
  }
}
