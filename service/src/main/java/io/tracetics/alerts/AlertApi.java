package io.tracetics.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The alert endpoints' bodies. Their field names are part of the public API contract. */
public final class AlertApi {
  private AlertApi() {}

  /**
   * An alert to create. {@code condition} stays JSON so that its one key ({@code below}, {@code
   * above} or {@code drop_pct}) is checked by {@link AlertRules} with the others.
   */
  public record CreateRequest(
      @JsonProperty("name") String name,
      @JsonProperty("funnel_id") Long funnelId,
      @JsonProperty("step") Integer step,
      @JsonProperty("metric") String metric,
      @JsonProperty("condition") JsonNode condition,
      @JsonProperty("min_entered") Long minEntered,
      @JsonProperty("webhook_url") String webhookUrl) {}

  /**
   * An alert as the API returns it. {@code secret} only in the creation's answer; {@code
   * deliveries} only when one alert is read.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Alert(
      @JsonProperty("alert_id") long alertId,
      @JsonProperty("app_id") long appId,
      @JsonProperty("funnel_id") long funnelId,
      @JsonProperty("name") String name,
      @JsonProperty("step") int step,
      @JsonProperty("metric") String metric,
      @JsonProperty("condition") Map<String, Double> condition,
      @JsonProperty("min_entered") long minEntered,
      @JsonProperty("webhook_url") String webhookUrl,
      @JsonProperty("state") String state,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("last_evaluation") @JsonInclude(JsonInclude.Include.ALWAYS)
          Evaluation lastEvaluation,
      @JsonProperty("secret") String secret,
      @JsonProperty("deliveries") List<Delivery> deliveries) {}

  /** The last time the alert's condition was evaluated: outcome true, false or not_evaluable. */
  public record Evaluation(
      @JsonProperty("outcome") String outcome,
      @JsonProperty("value") Double value,
      @JsonProperty("entered") Long entered,
      @JsonProperty("at") Instant at) {}

  /**
   * One webhook: {@code status} pending, delivered, failed (out of attempts) or cancelled (the
   * alert was deleted first); {@code next_attempt_at} while pending.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Delivery(
      @JsonProperty("delivery_id") long deliveryId,
      @JsonProperty("event") String event,
      @JsonProperty("status") String status,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("finished_at") Instant finishedAt,
      @JsonProperty("next_attempt_at") Instant nextAttemptAt,
      @JsonProperty("attempts") List<Attempt> attempts) {}

  /**
   * One attempt: the receiver's HTTP status, or {@code error} (the class of failure: timeout,
   * connection_failed, refused_target, ...) when there was none; {@code next_retry_at} when another
   * attempt follows.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attempt(
      @JsonProperty("attempt") int attempt,
      @JsonProperty("at") Instant at,
      @JsonProperty("status_code") Integer statusCode,
      @JsonProperty("error") String error,
      @JsonProperty("duration_ms") long durationMs,
      @JsonProperty("next_retry_at") Instant nextRetryAt) {}

  public record AlertList(
      @JsonProperty("alerts") List<Alert> alerts, @JsonProperty("next_cursor") String nextCursor) {}
}
