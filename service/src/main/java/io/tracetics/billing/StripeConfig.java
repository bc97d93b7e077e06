package io.tracetics.billing;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stripe settings. The API key and the webhook signing secret come only from the environment
 * ({@code STRIPE_API_KEY}, {@code STRIPE_WEBHOOK_SECRET}); either one empty disables the part of
 * billing that needs it. This class has no {@code toString}: the secrets must never reach a log.
 */
public class StripeConfig {
  public static final String DEFAULT_API_BASE = "https://api.stripe.com";
  public static final int DEFAULT_GRACE_DAYS = 7;

  /** Secret API key ({@code sk_live_...} / {@code sk_test_...}); empty: no checkout. */
  @JsonProperty @NotNull public String apiKey = "";

  /** Webhook signing secret ({@code whsec_...}); empty: the webhook answers 503. */
  @JsonProperty @NotNull public String webhookSecret = "";

  /** Where stripe-java sends API calls; tests point it at a local stand-in server. */
  @JsonProperty @NotBlank public String apiBase = DEFAULT_API_BASE;

  /**
   * Stripe price id to plan code, e.g. {@code price_1Pxyz: pro}. A price missing here may name its
   * plan in its own metadata ({@code tracetics_plan}). Checkout for a plan uses the first price
   * listed for it.
   */
  @JsonProperty @NotNull public Map<String, String> prices = new LinkedHashMap<>();

  /**
   * Days the paid plan's limits stay after the first failed payment; afterwards the tenant is
   * treated as free until a payment succeeds.
   */
  @JsonProperty
  @Min(0)
  @Max(365)
  public int graceDays = DEFAULT_GRACE_DAYS;

  public boolean webhookEnabled() {
    return webhookSecret != null && !webhookSecret.isBlank();
  }

  public boolean checkoutEnabled() {
    return apiKey != null && !apiKey.isBlank();
  }
}
