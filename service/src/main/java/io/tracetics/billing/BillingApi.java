package io.tracetics.billing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Request and response bodies of the billing endpoints (usage names are part of the public API
 * contract: never rename them).
 */
public final class BillingApi {
  private BillingApi() {}

  static final String URL_PATTERN = "^https?://[^\\s]+$";

  public record CheckoutRequest(
      @JsonProperty("plan") @NotBlank @Size(max = 32) String plan,
      @JsonProperty("success_url")
          @NotBlank
          @Size(max = 2000)
          @Pattern(regexp = URL_PATTERN, message = "must be an http(s) URL")
          String successUrl,
      @JsonProperty("cancel_url")
          @NotBlank
          @Size(max = 2000)
          @Pattern(regexp = URL_PATTERN, message = "must be an http(s) URL")
          String cancelUrl) {}

  public record CheckoutResponse(
      @JsonProperty("session_id") String sessionId, @JsonProperty("url") String url) {}

  public record WebhookResponse(
      @JsonProperty("received") boolean received,
      @JsonProperty("event_id") String eventId,
      @JsonProperty("type") String type,
      @JsonProperty("result") String result,
      @JsonProperty("detail") String detail) {
    static WebhookResponse of(BillingService.Result result) {
      return new WebhookResponse(
          true, result.eventId(), result.type(), result.outcome().key(), result.detail());
    }
  }

  /** {@code limit} is null when the plan has no such limit. */
  public record Limit(@JsonProperty("used") long used, @JsonProperty("limit") Integer limit) {}

  public record EventLimit(
      @JsonProperty("used") long used,
      @JsonProperty("limit") Long limit,
      @JsonProperty("rejected") long rejected,
      @JsonProperty("period") String period) {}

  /**
   * {@code status} and {@code current_period_end} are null for a tenant that never subscribed;
   * {@code plan} is the plan subscribed to (it differs from the effective plan while a subscription
   * has lapsed) and {@code grace_until} appears while a failed payment's grace runs.
   */
  public record SubscriptionInfo(
      @JsonProperty("status") String status,
      @JsonProperty("current_period_end") Instant currentPeriodEnd,
      @JsonProperty("plan") String plan,
      @JsonProperty("grace_until") @JsonInclude(JsonInclude.Include.NON_NULL) Instant graceUntil) {}

  public record UsageResponse(
      @JsonProperty("plan") String plan,
      @JsonProperty("apps") Limit apps,
      @JsonProperty("funnels") Limit funnels,
      @JsonProperty("cohorts") Limit cohorts,
      @JsonProperty("monthly_events") EventLimit monthlyEvents,
      @JsonProperty("subscription") SubscriptionInfo subscription) {
    static UsageResponse of(UsageService.Usage usage) {
      BillingStateRow billing = usage.billing();
      return new UsageResponse(
          usage.plan().code(),
          new Limit(usage.apps(), usage.plan().maxApps()),
          new Limit(usage.funnels(), usage.plan().maxFunnels()),
          new Limit(usage.cohorts(), usage.plan().maxCohorts()),
          new EventLimit(
              usage.monthlyEvents(),
              usage.plan().maxMonthlyEvents(),
              usage.rejectedEvents(),
              usage.period()),
          new SubscriptionInfo(
              billing.subscriptionStatus(),
              billing.currentPeriodEnd(),
              billing.planCode(),
              UsageService.graceUntil(billing)));
    }
  }
}
