package io.tracetics.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.lifecycle.Managed;
import io.tracetics.ids.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's sender of due webhooks: every poll interval (and at once when this node made a
 * transition) it claims due deliveries one by one under a lease ({@link DeliveryDao}), sends each
 * signed ({@link WebhookSignature}) and records the attempt, then marks the delivery delivered,
 * failed (out of attempts) or due again after the backoff. One thread, so one attempt at a time per
 * node.
 */
public class WebhookDispatcher implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int BATCH = 20;

  private final Jdbi jdbi;
  private final WebhookSender sender;
  private final DeliveryBackoff backoff;
  private final ObjectMapper json;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final long pollMillis;
  private final long leaseMillis;
  private final String owner;
  private final AtomicBoolean wakeQueued = new AtomicBoolean();

  /**
   * @param leaseMillis how long a claim holds: longer than a whole attempt can take
   * @param owner this node's name in leases (unique per process)
   */
  public WebhookDispatcher(
      Jdbi jdbi,
      WebhookSender sender,
      DeliveryBackoff backoff,
      ObjectMapper json,
      Clock clock,
      ScheduledExecutorService executor,
      long pollMillis,
      long leaseMillis,
      String owner) {
    this.jdbi = jdbi;
    this.sender = sender;
    this.backoff = backoff;
    this.json = json;
    this.clock = clock;
    this.executor = executor;
    this.pollMillis = pollMillis;
    this.leaseMillis = leaseMillis;
    this.owner = owner;
  }

  @Override
  public void start() {
    executor.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    executor.shutdownNow();
  }

  /** Looks for due webhooks now instead of at the next tick. */
  public void wake() {
    if (wakeQueued.compareAndSet(false, true)) {
      try {
        executor.execute(
            () -> {
              wakeQueued.set(false);
              poll();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        wakeQueued.set(false);
      }
    }
  }

  /** Sends what is due; never throws (the next tick tries again). */
  void poll() {
    try {
      List<Long> due = jdbi.withExtension(DeliveryDao.class, dao -> dao.due(clock.millis(), BATCH));
      for (long id : due) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        attempt(id);
      }
    } catch (RuntimeException e) {
      LOG.warn("Sending alert webhooks failed; retrying at the next poll", e);
    }
  }

  private void attempt(long id) {
    long now = clock.millis();
    Optional<DeliveryDao.Claimed> claimed =
        jdbi.withExtension(
            DeliveryDao.class,
            dao ->
                dao.claim(id, owner, now, now + leaseMillis) == 1
                    ? dao.claimed(id, owner)
                    : Optional.empty());
    if (claimed.isEmpty()) {
      return;
    }
    DeliveryDao.Claimed delivery = claimed.get();
    TenantId tenant = TenantId.of(delivery.tenantId());
    if (delivery.alertDeletedAtMs() != null) {
      jdbi.useExtension(
          DeliveryDao.class,
          dao -> dao.finish(tenant, id, owner, delivery.attempts(), "cancelled", clock.millis()));
      return;
    }
    long sentAt = clock.millis();
    byte[] body = body(delivery.payload(), sentAt);
    long unixSeconds = sentAt / 1000;
    WebhookSender.Outcome outcome =
        sender.send(
            delivery.webhookUrl(),
            body,
            Map.of(
                WebhookSignature.HEADER,
                WebhookSignature.header(delivery.secret(), unixSeconds, body),
                "X-Tracetics-Event",
                delivery.event(),
                "X-Tracetics-Delivery",
                Long.toString(id),
                "X-Tracetics-Attempt",
                Integer.toString(delivery.attempts())));
    long done = clock.millis();
    OptionalLong delay =
        outcome.delivered() ? OptionalLong.empty() : backoff.delayAfter(delivery.attempts());
    Long nextRetry = delay.isPresent() ? done + delay.getAsLong() : null;
    jdbi.useTransaction(
        handle -> {
          DeliveryDao dao = handle.attach(DeliveryDao.class);
          dao.recordAttempt(
              tenant,
              id,
              delivery.attempts(),
              sentAt,
              outcome.statusCode(),
              outcome.error(),
              done - sentAt,
              nextRetry);
          if (outcome.delivered()) {
            dao.finish(tenant, id, owner, delivery.attempts(), "delivered", done);
          } else if (nextRetry != null) {
            dao.retryAt(tenant, id, owner, delivery.attempts(), nextRetry);
          } else {
            dao.finish(tenant, id, owner, delivery.attempts(), "failed", done);
          }
        });
    if (!outcome.delivered()) {
      LOG.info(
          "Webhook {} of alert {} attempt {} failed ({}){}",
          id,
          delivery.alertId(),
          delivery.attempts(),
          outcome.statusCode() != null ? "HTTP " + outcome.statusCode() : outcome.error(),
          nextRetry != null
              ? "; next at " + Instant.ofEpochMilli(nextRetry)
              : "; no more attempts");
    }
  }

  /** The stored payload with {@code sent_at}: the exact bytes that are signed and sent. */
  private byte[] body(String payload, long sentAtMs) {
    try {
      ObjectNode node = (ObjectNode) json.readTree(payload);
      node.put("sent_at", Instant.ofEpochMilli(sentAtMs).toString());
      return json.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A stored webhook payload is unreadable", e);
    }
  }
}
