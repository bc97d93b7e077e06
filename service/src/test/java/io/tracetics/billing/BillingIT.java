package io.tracetics.billing;

import static io.tracetics.billing.StripeFixtures.BUSINESS_PRICE;
import static io.tracetics.billing.StripeFixtures.PRO_PRICE;
import static io.tracetics.billing.StripeFixtures.SECRET;
import static io.tracetics.billing.StripeFixtures.newId;
import static io.tracetics.billing.StripeFixtures.signature;
import static io.tracetics.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.billing.StripeFixtures.Subscription;
import io.tracetics.billing.StripeFixtures.Version;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Billing against the real MariaDB: signed Stripe events in every payload shape, the limits they
 * set as seen through the API, checkout against a local stand-in for Stripe, and usage.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BillingIT {
  static final long DAY = 86_400L;
  static final String API_KEY = "sk_test_51QxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
  static final StripeStandIn STRIPE = new StripeStandIn();

  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension(
          ConfigOverride.config("stripe.webhookSecret", SECRET),
          ConfigOverride.config("stripe.apiKey", API_KEY),
          ConfigOverride.config("stripe.apiBase", STRIPE::baseUrl));

  Http http;

  @BeforeEach
  void setUp() {
    http = new Http(APP.getLocalPort());
  }

  @AfterAll
  static void stopStandIn() {
    STRIPE.close();
  }

  // ---------------------------------------------------------------- the whole lifecycle

  @ParameterizedTest
  @EnumSource(Version.class)
  void wholeSubscriptionLifecycleSetsPlanAndLimits(Version version) {
    Tenant tenant = newTenant();
    String customer = newId("cus_");
    String sub = newId("sub_");
    long now = now();
    long start = now - 30 * DAY;

    // 1. Checkout completed: the customer is linked to the tenant; the plan waits for the
    // subscription itself.
    assertResult(
        deliver(StripeFixtures.checkoutCompleted(version, tenant.idText(), customer, sub, start)),
        "applied");
    TenantState state = state(tenant);
    assertEquals(customer, state.customerId());
    assertEquals("free", state.planCode());
    assertLimits(tenant, "free", 2, 5, 100_000);

    // 2. Subscription created on the Pro price.
    Subscription subscription =
        new Subscription(version, sub, customer, start)
            .type("customer.subscription.created")
            .tenant(tenant.id())
            .period(start, start + 30 * DAY);
    assertResult(deliver(subscription.json()), "applied");
    state = state(tenant);
    assertEquals("pro", state.planCode());
    assertEquals("active", state.status());
    assertEquals(sub, state.subscriptionId());
    assertEquals(Instant.ofEpochSecond(start + 30 * DAY), state.currentPeriodEnd());
    JsonNode usage = assertLimits(tenant, "pro", 10, 50, 5_000_000);
    assertEquals("active", usage.at("/subscription/status").asText());
    assertEquals(
        Instant.ofEpochSecond(start + 30 * DAY),
        Instant.parse(usage.at("/subscription/current_period_end").asText()));
    // Pro allows more than Free's two apps.
    for (int i = 0; i < 3; i++) {
      assertEquals(201, createApp(tenant).status());
    }

    // 3. First invoice paid.
    assertResult(
        deliver(StripeFixtures.invoice(version, true, sub, customer, tenant.id(), start + 5)),
        "applied");
    assertEquals("pro", state(tenant).planCode());

    // 4. Upgrade to Business: limits rise at once.
    subscription.created(start + DAY).type("customer.subscription.updated").price(BUSINESS_PRICE);
    assertResult(deliver(subscription.json()), "applied");
    assertEquals("business", state(tenant).planCode());
    assertLimits(tenant, "business", 100, 500, 100_000_000);

    // 5. Renewal payment fails 8 days ago; Business stays while the subscription is active.
    long failedAt = now - 8 * DAY;
    assertResult(
        deliver(StripeFixtures.invoice(version, false, sub, customer, tenant.id(), failedAt)),
        "applied");
    state = state(tenant);
    assertEquals(failedAt, state.paymentFailedAt());
    assertEquals(failedAt + 7 * DAY, state.graceUntil());
    assertLimits(tenant, "business", 100, 500, 100_000_000);

    // 6. Past due, and the 7 days of grace are over: Free limits, nothing deleted.
    subscription.created(failedAt + 60).status("past_due").period(failedAt, failedAt + 30 * DAY);
    assertResult(deliver(subscription.json()), "applied");
    state = state(tenant);
    assertEquals("business", state.planCode());
    assertEquals("past_due", state.status());
    assertEquals(Instant.ofEpochSecond(failedAt + 30 * DAY), state.currentPeriodEnd());
    usage = assertLimits(tenant, "free", 2, 5, 100_000);
    assertEquals(3, usage.at("/apps/used").asInt());
    assertEquals("business", usage.at("/subscription/plan").asText());
    assertEquals(
        Instant.ofEpochSecond(failedAt + 7 * DAY),
        Instant.parse(usage.at("/subscription/grace_until").asText()));
    JsonNode refused = assertError(createApp(tenant), 403, "app_limit_reached");
    assertEquals("free", refused.get("plan").asText());
    assertEquals(2, refused.get("limit").asInt());
    assertEquals(3, refused.get("used").asInt());
    assertEquals(3, listApps(tenant));

    // 7. The retry succeeds: Business again at once.
    assertResult(
        deliver(StripeFixtures.invoice(version, true, sub, customer, tenant.id(), now - 3_600)),
        "applied");
    assertNull(state(tenant).paymentFailedAt());
    assertLimits(tenant, "business", 100, 500, 100_000_000);
    subscription.created(now - 3_500).status("active");
    assertResult(deliver(subscription.json()), "applied");
    assertEquals("active", state(tenant).status());
    assertEquals(201, createApp(tenant).status());

    // 8. Cancelled: back to Free, the four apps stay, a fifth is refused.
    subscription.created(now - 600).type("customer.subscription.deleted").status("canceled");
    assertResult(deliver(subscription.json()), "applied");
    state = state(tenant);
    assertEquals("free", state.planCode());
    assertEquals("canceled", state.status());
    assertLimits(tenant, "free", 2, 5, 100_000);
    assertError(createApp(tenant), 403, "app_limit_reached");
    assertEquals(4, listApps(tenant));

    // 9. A late "updated" of the deleted subscription cannot bring it back, even if newer.
    subscription.created(now - 300).type("customer.subscription.updated").status("active");
    assertResult(deliver(subscription.json()), "stale");
    assertEquals("free", state(tenant).planCode());
    assertEquals("canceled", state(tenant).status());

    // 10. A new subscription id starts a new subscription.
    String sub2 = newId("sub_");
    Subscription again =
        new Subscription(version, sub2, customer, now - 60)
            .type("customer.subscription.created")
            .tenant(tenant.id());
    assertResult(deliver(again.json()), "applied");
    state = state(tenant);
    assertEquals("pro", state.planCode());
    assertEquals(sub2, state.subscriptionId());
    assertEquals("active", state.status());
    assertLimits(tenant, "pro", 10, 50, 5_000_000);
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void pastDueKeepsThePaidPlanDuringGrace(Version version) {
    Tenant tenant = newTenant();
    String customer = newId("cus_");
    String sub = newId("sub_");
    long now = now();
    Subscription subscription =
        new Subscription(version, sub, customer, now - 20 * DAY)
            .type("customer.subscription.created")
            .tenant(tenant.id());
    assertResult(deliver(subscription.json()), "applied");

    long failedAt = now - 2 * DAY;
    assertResult(
        deliver(StripeFixtures.invoice(version, false, sub, customer, null, failedAt)), "applied");
    subscription.created(failedAt + 5).type("customer.subscription.updated").status("past_due");
    assertResult(deliver(subscription.json()), "applied");
    // A second failed attempt does not move the start of the grace period.
    assertResult(
        deliver(StripeFixtures.invoice(version, false, sub, customer, null, now - DAY)), "applied");

    TenantState state = state(tenant);
    assertEquals("past_due", state.status());
    assertEquals(failedAt, state.paymentFailedAt());
    assertEquals(failedAt + 7 * DAY, state.graceUntil());
    JsonNode usage = assertLimits(tenant, "pro", 10, 50, 5_000_000);
    assertEquals(
        Instant.ofEpochSecond(failedAt + 7 * DAY),
        Instant.parse(usage.at("/subscription/grace_until").asText()));
    for (int i = 0; i < 3; i++) {
      assertEquals(201, createApp(tenant).status());
    }
  }

  // ---------------------------------------------------------------- mapping

  @Test
  void subscriptionWithoutMetadataFindsTheTenantThroughTheCheckoutCustomer() {
    Tenant tenant = newTenant();
    String customer = newId("cus_");
    String sub = newId("sub_");
    long now = now();
    assertResult(
        deliver(
            StripeFixtures.checkoutCompleted(
                Version.BASIL_ITEMS, tenant.idText(), customer, sub, now - 10)),
        "applied");
    // No tenant_id in the subscription's metadata: the stored customer id maps it.
    Subscription subscription =
        new Subscription(Version.BASIL_ITEMS, sub, customer, now - 5)
            .type("customer.subscription.created")
            .price(BUSINESS_PRICE);
    assertResult(deliver(subscription.json()), "applied");
    assertEquals("business", state(tenant).planCode());

    // One Stripe customer pays for one tenant: another tenant's checkout with it changes nothing.
    Tenant other = newTenant();
    assertResult(
        deliver(
            StripeFixtures.checkoutCompleted(
                Version.BASIL_ITEMS, other.idText(), customer, newId("sub_"), now - 3)),
        "ignored");
    assertNull(state(other).customerId());
    assertEquals(customer, state(tenant).customerId());

    // A subscription of a customer no tenant knows, without metadata, is acknowledged and ignored.
    Subscription stranger =
        new Subscription(Version.BASIL_ITEMS, newId("sub_"), newId("cus_"), now)
            .type("customer.subscription.created");
    assertResult(deliver(stranger.json()), "ignored");
    // A checkout session naming no tenant of ours, likewise.
    assertResult(
        deliver(
            StripeFixtures.checkoutCompleted(
                Version.BASIL_ITEMS, "999999999999", newId("cus_"), newId("sub_"), now)),
        "ignored");
  }

  @Test
  void priceMapsToPlanByConfigurationOrByPriceMetadata() {
    Tenant tenant = newTenant();
    String customer = newId("cus_");
    String sub = newId("sub_");
    long now = now();
    // Unknown price without metadata: 422, not recorded, so Stripe retries it later.
    Subscription unknown =
        new Subscription(Version.DAHLIA_ITEMS, sub, customer, now - 100)
            .type("customer.subscription.created")
            .tenant(tenant.id())
            .price("price_not_configured_anywhere");
    assertError(deliver(unknown.json()), 422, "unknown_price");
    assertEquals(0, storedEvents(unknown.eventId));
    assertEquals("free", state(tenant).planCode());
    assertNull(state(tenant).status());

    // The price names its plan in its own metadata.
    Subscription byMetadata =
        new Subscription(Version.DAHLIA_ITEMS, sub, customer, now - 50)
            .type("customer.subscription.updated")
            .tenant(tenant.id())
            .price("price_1QzMetadataOnlyBiz")
            .priceMetadataPlan("business");
    assertResult(deliver(byMetadata.json()), "applied");
    assertEquals("business", state(tenant).planCode());
  }

  @Test
  void otherEventTypesAreAcknowledgedAndIgnored() {
    String payload = StripeFixtures.customerCreated(newId("cus_"), now());
    Http.Response response = deliver(payload);
    assertResult(response, "ignored");
    assertEquals("customer.created", response.json().get("type").asText());
    assertEquals(1, storedEvents(StripeFixtures.eventId(payload)));
    assertResult(deliver(payload), "duplicate");
  }

  // ---------------------------------------------------------------- idempotency and ordering

  @Test
  void aRedeliveredEventIsAppliedOnce() {
    Tenant tenant = newTenant();
    String customer = newId("cus_");
    String sub = newId("sub_");
    long now = now();
    Subscription created =
        new Subscription(Version.LEGACY_ROOT, sub, customer, now - 100)
            .type("customer.subscription.created")
            .tenant(tenant.id());
    String first = created.json();
    assertResult(deliver(first), "applied");
    assertResult(deliver(first), "duplicate");
    assertEquals("pro", state(tenant).planCode());

    Subscription upgraded =
        new Subscription(Version.LEGACY_ROOT, sub, customer, now - 50)
            .tenant(tenant.id())
            .price(BUSINESS_PRICE);
    assertResult(deliver(upgraded.json()), "applied");
    // The old event again: a duplicate, never re-applied.
    assertResult(deliver(first), "duplicate");
    assertEquals("business", state(tenant).planCode());
    assertEquals(1, storedEvents(StripeFixtures.eventId(first)));

    // A failed payment delivered twice after the payment that settled it changes nothing.
    String failed =
        StripeFixtures.invoice(Version.LEGACY_ROOT, false, sub, customer, null, now - 40);
    assertResult(deliver(failed), "applied");
    assertResult(
        deliver(StripeFixtures.invoice(Version.LEGACY_ROOT, true, sub, customer, null, now - 30)),
        "applied");
    assertResult(deliver(failed), "duplicate");
    assertNull(state(tenant).paymentFailedAt());
  }

  @Test
  void concurrentDuplicatesAreAppliedExactlyOnce() throws Exception {
    Tenant tenant = newTenant();
    String customer = newId("cus_");
    Subscription created =
        new Subscription(Version.BASIL_ITEMS, newId("sub_"), customer, now() - 10)
            .type("customer.subscription.created")
            .tenant(tenant.id())
            .price(BUSINESS_PRICE);
    String payload = created.json();
    List<Http.Response> responses = sendConcurrently(Collections.nCopies(16, payload));
    int applied = 0;
    int duplicates = 0;
    for (Http.Response response : responses) {
      assertEquals(200, response.status(), response::toString);
      String result = response.json().get("result").asText();
      applied += "applied".equals(result) ? 1 : 0;
      duplicates += "duplicate".equals(result) ? 1 : 0;
    }
    assertEquals(1, applied, responses::toString);
    assertEquals(15, duplicates, responses::toString);
    assertEquals(1, storedEvents(created.eventId));
    assertEquals("business", state(tenant).planCode());
  }

  @Test
  void concurrentOutOfOrderStatesEndAtTheNewest() throws Exception {
    Tenant tenant = newTenant();
    String customer = newId("cus_");
    String sub = newId("sub_");
    long base = now() - 1_000;
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      // The newest state (i = 11) is on Business, every older one on Pro.
      payloads.add(
          new Subscription(Version.DAHLIA_ITEMS, sub, customer, base + i * 10L)
              .tenant(tenant.id())
              .price(i == 11 ? BUSINESS_PRICE : PRO_PRICE)
              .period(base, base + 30 * DAY + i)
              .json());
    }
    Collections.reverse(payloads);
    for (Http.Response response : sendConcurrently(payloads)) {
      assertEquals(200, response.status(), response::toString);
    }
    TenantState state = state(tenant);
    assertEquals("business", state.planCode());
    assertEquals(base + 110, state.subscriptionStateAt());
    assertEquals(Instant.ofEpochSecond(base + 30 * DAY + 11), state.currentPeriodEnd());
  }

  @Test
  void olderStatesArrivingLateNeverRollBack() {
    Tenant tenant = newTenant();
    String customer = newId("cus_");
    String sub = newId("sub_");
    long now = now();
    Subscription created =
        new Subscription(Version.BASIL_ITEMS, sub, customer, now - 1_000)
            .type("customer.subscription.created")
            .tenant(tenant.id());
    Subscription upgraded =
        new Subscription(Version.BASIL_ITEMS, sub, customer, now - 500)
            .tenant(tenant.id())
            .price(BUSINESS_PRICE)
            .period(now - 500, now + 29 * DAY);
    // The upgrade arrives first, then the older "created".
    assertResult(deliver(upgraded.json()), "applied");
    assertResult(deliver(created.json()), "stale");
    TenantState state = state(tenant);
    assertEquals("business", state.planCode());
    assertEquals(Instant.ofEpochSecond(now + 29 * DAY), state.currentPeriodEnd());
    assertLimits(tenant, "business", 100, 500, 100_000_000);

    // Payment succeeded (newer) arrives before the failure it settled: no grace clock.
    assertResult(
        deliver(StripeFixtures.invoice(Version.BASIL_ITEMS, true, sub, customer, null, now - 100)),
        "applied");
    assertResult(
        deliver(StripeFixtures.invoice(Version.BASIL_ITEMS, false, sub, customer, null, now - 200)),
        "stale");
    assertNull(state(tenant).paymentFailedAt());

    // The deletion wins even when an older update arrives after it.
    Subscription deleted =
        new Subscription(Version.BASIL_ITEMS, sub, customer, now - 50)
            .type("customer.subscription.deleted")
            .tenant(tenant.id())
            .status("canceled");
    Subscription olderUpdate =
        new Subscription(Version.BASIL_ITEMS, sub, customer, now - 60)
            .tenant(tenant.id())
            .price(BUSINESS_PRICE);
    assertResult(deliver(deleted.json()), "applied");
    assertResult(deliver(olderUpdate.json()), "stale");
    assertEquals("free", state(tenant).planCode());
    assertEquals("canceled", state(tenant).status());
    assertLimits(tenant, "free", 2, 5, 100_000);
  }

  // ---------------------------------------------------------------- verification

  @Test
  void badSignaturesStaleTimestampsAndMalformedBodiesAre400AndChangeNothing() {
    Tenant tenant = newTenant();
    Subscription subscription =
        new Subscription(Version.DAHLIA_ITEMS, newId("sub_"), newId("cus_"), now())
            .type("customer.subscription.created")
            .tenant(tenant.id())
            .price(BUSINESS_PRICE);
    String payload = subscription.json();
    long t = now();

    assertError(post(payload, null), 400, "invalid_signature");
    assertError(post(payload, "garbage"), 400, "invalid_signature");
    assertError(
        post(payload, signature(payload, t, "whsec_some_other_secret_entirely")),
        400,
        "invalid_signature");
    String tampered = payload.replace(BUSINESS_PRICE, PRO_PRICE);
    assertError(post(tampered, signature(payload, t, SECRET)), 400, "invalid_signature");
    // Older than Stripe's 300 s tolerance (a replayed delivery).
    assertError(post(payload, signature(payload, t - 600, SECRET)), 400, "invalid_signature");
    assertError(post(payload, signature(payload, t - 301, SECRET)), 400, "invalid_signature");

    for (String malformed :
        List.of("this is not json", "{\"id\": \"evt_1\", \"object\": \"event\"", "[]", "{}")) {
      assertError(post(malformed, signature(malformed, t, SECRET)), 400, "malformed_event");
    }

    TenantState state = state(tenant);
    assertEquals("free", state.planCode());
    assertNull(state.customerId());
    assertNull(state.status());
    assertEquals(0, storedEvents(subscription.eventId));

    // The very same event, correctly signed, is then applied: nothing was recorded before.
    assertResult(deliver(payload), "applied");
    assertEquals("business", state(tenant).planCode());
  }

  // ---------------------------------------------------------------- checkout

  @Test
  void checkoutCreatesASubscriptionSessionAtStripe() {
    Tenant tenant = newTenant();
    Http.Response response =
        http.post("/api/v1/billing/checkout")
            .bearer(tenant.token())
            .json(
                Map.of(
                    "plan", "pro",
                    "success_url", "https://app.example.com/billing/ok",
                    "cancel_url", "https://app.example.com/billing/cancel"))
            .send();
    assertEquals(200, response.status(), response::toString);
    JsonNode body = response.json();
    assertTrue(body.get("session_id").asText().startsWith("cs_test_"), body::toString);
    assertTrue(body.get("url").asText().startsWith("https://checkout.stripe.com/"), body::toString);

    StripeStandIn.Received request = STRIPE.last();
    assertEquals("POST", request.method());
    assertEquals("/v1/checkout/sessions", request.path());
    assertEquals("Bearer " + API_KEY, request.authorization());
    Map<String, String> form = request.form();
    assertEquals("subscription", form.get("mode"));
    assertEquals(tenant.idText(), form.get("client_reference_id"));
    assertEquals(PRO_PRICE, form.get("line_items[0][price]"));
    assertEquals("1", form.get("line_items[0][quantity]"));
    assertEquals("https://app.example.com/billing/ok", form.get("success_url"));
    assertEquals("https://app.example.com/billing/cancel", form.get("cancel_url"));
    assertEquals(tenant.idText(), form.get("subscription_data[metadata][tenant_id]"));
    assertEquals(tenant.idText(), form.get("metadata[tenant_id]"));
    assertFalse(form.containsKey("customer"), form::toString);

    // A tenant that already has a Stripe customer keeps it.
    String customer = newId("cus_");
    assertResult(
        deliver(
            StripeFixtures.checkoutCompleted(
                Version.DAHLIA_ITEMS, tenant.idText(), customer, newId("sub_"), now())),
        "applied");
    Http.Response again =
        http.post("/api/v1/billing/checkout")
            .bearer(tenant.token())
            .json(
                Map.of(
                    "plan", "business",
                    "success_url", "https://app.example.com/ok",
                    "cancel_url", "https://app.example.com/no"))
            .send();
    assertEquals(200, again.status(), again::toString);
    assertEquals(customer, STRIPE.last().form().get("customer"));
    assertEquals(BUSINESS_PRICE, STRIPE.last().form().get("line_items[0][price]"));
  }

  @Test
  void checkoutRefusesUnknownPlansBadInputAndReportsStripeErrors() {
    Tenant tenant = newTenant();
    for (String plan : List.of("free", "platinum")) {
      JsonNode error =
          assertError(
              http.post("/api/v1/billing/checkout")
                  .bearer(tenant.token())
                  .json(
                      Map.of(
                          "plan", plan,
                          "success_url", "https://a.example/ok",
                          "cancel_url", "https://a.example/no"))
                  .send(),
              422,
              "unknown_plan");
      assertEquals(plan, error.get("plan").asText());
    }
    assertError(
        http.post("/api/v1/billing/checkout")
            .bearer(tenant.token())
            .json(Map.of("plan", "pro", "success_url", "javascript:alert(1)"))
            .send(),
        422,
        "validation_failed");
    assertError(
        http.post("/api/v1/billing/checkout")
            .json(
                Map.of(
                    "plan", "pro",
                    "success_url", "https://a.example/ok",
                    "cancel_url", "https://a.example/no"))
            .send(),
        401,
        "unauthorized");

    // Stripe answers with an error: 502 naming Stripe's reason.
    Http.Response failed =
        http.post("/api/v1/billing/checkout")
            .bearer(tenant.token())
            .json(
                Map.of(
                    "plan", "pro",
                    "success_url", "https://a.example/stripe-says-no",
                    "cancel_url", "https://a.example/no"))
            .send();
    assertEquals(502, failed.status(), failed::toString);
    JsonNode body = failed.json();
    assertEquals(502, body.get("code").asInt());
    assertEquals("stripe_error", body.get("error").asText());
    assertTrue(body.get("message").asText().contains("No such price"), body::toString);
    assertFalse(failed.text().contains(API_KEY));
  }

  // ---------------------------------------------------------------- plans and ingest's quota

  @Test
  void whileStripeManagesPlansTheOperatorCannotSetThem() {
    Tenant tenant = newTenant();
    assertEquals("free", state(tenant).planCode(), "new tenants start on free with billing on");
    JsonNode refused =
        assertError(
            http.patch("/api/v1/tenants/" + tenant.id())
                .bearer(TestApp.OPERATOR_TOKEN)
                .json(Map.of("plan", "business"))
                .send(),
            409,
            "plan_managed_by_stripe");
    assertTrue(refused.get("message").asText().contains("Stripe"), refused::toString);
    assertError(
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "Acme", "plan", "business"))
            .send(),
        409,
        "plan_managed_by_stripe");
    assertEquals("free", state(tenant).planCode());
    assertLimits(tenant, "free", 2, 5, 100_000);
  }

  /** How a subscription stops paying, and how Stripe later says it pays again. */
  enum Lapse {
    PAST_DUE_BEYOND_GRACE,
    CANCELED,
    PAUSED
  }

  @ParameterizedTest
  @EnumSource(Lapse.class)
  void aLapsedSubscriptionIngestsAtTheFreeQuotaUntilStripeSaysActive(Lapse lapse) {
    Version version = Version.DAHLIA_ITEMS;
    Tenants.TenantApp sender = Tenants.create(http);
    Tenant tenant = new Tenant(sender.tenantId(), sender.managementToken());
    String customer = newId("cus_");
    String sub = newId("sub_");
    long now = now();
    long start = now - 20 * DAY;
    Subscription subscription =
        new Subscription(version, sub, customer, start)
            .type("customer.subscription.created")
            .tenant(tenant.id())
            .period(start, start + 30 * DAY);
    assertResult(deliver(subscription.json()), "applied");
    setAcceptedThisMonth(tenant, 150_000); // beyond free's 100,000, well inside pro's quota
    assertAccepted(sendBatch(sender, 3), 3);

    switch (lapse) {
      case PAST_DUE_BEYOND_GRACE -> {
        long failedAt = now - 8 * DAY; // grace is 7 days
        assertResult(
            deliver(StripeFixtures.invoice(version, false, sub, customer, tenant.id(), failedAt)),
            "applied");
        subscription
            .created(failedAt + 60)
            .type("customer.subscription.updated")
            .status("past_due");
      }
      case CANCELED ->
          subscription.created(now - 600).type("customer.subscription.deleted").status("canceled");
      case PAUSED ->
          subscription.created(now - 600).type("customer.subscription.updated").status("paused");
    }
    assertResult(deliver(subscription.json()), "applied");
    assertLimits(tenant, "free", 2, 5, 100_000);

    // Everything is refused while the month's count is past free's quota ...
    JsonNode over = assertError(sendBatch(sender, 2), 429, "monthly_quota_exceeded");
    assertEquals("free", over.get("plan").asText());
    assertEquals(100_000, over.get("limit").asLong());
    assertEquals(150_003, over.get("used").asLong());
    // ... and the quota is exact: 2 of 5 fit under it.
    setAcceptedThisMonth(tenant, 99_998);
    Http.Response partly = sendBatch(sender, 5);
    assertAccepted(partly, 2);
    assertEquals(3, partly.json().get("rejected").size(), partly::toString);
    assertEquals(
        "monthly_quota_exceeded",
        partly.json().at("/rejected/0/error/error").asText(),
        partly::toString);
    assertError(sendBatch(sender, 1), 429, "monthly_quota_exceeded");

    // Stripe says the tenant pays again: pro's quota at once.
    switch (lapse) {
      case PAST_DUE_BEYOND_GRACE -> {
        assertResult(
            deliver(StripeFixtures.invoice(version, true, sub, customer, tenant.id(), now - 120)),
            "applied");
        subscription.created(now - 60).type("customer.subscription.updated").status("active");
        assertResult(deliver(subscription.json()), "applied");
      }
      case CANCELED -> {
        // An ended subscription never comes back; a new one starts.
        Subscription again =
            new Subscription(version, newId("sub_"), customer, now - 60)
                .type("customer.subscription.created")
                .tenant(tenant.id());
        assertResult(deliver(again.json()), "applied");
      }
      case PAUSED -> {
        subscription.created(now - 60).type("customer.subscription.updated").status("active");
        assertResult(deliver(subscription.json()), "applied");
      }
    }
    assertLimits(tenant, "pro", 10, 50, 5_000_000);
    assertAccepted(sendBatch(sender, 4), 4);
    assertEquals(100_004, usage(tenant).at("/monthly_events/used").asLong());
  }

  static void assertAccepted(Http.Response response, int accepted) {
    assertEquals(200, response.status(), response::toString);
    assertEquals(accepted, response.json().get("accepted").asInt(), response::toString);
  }

  Http.Response sendBatch(Tenants.TenantApp sender, int events) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      items.add(Map.of("event_name", "viewed", "user_identifier", "u" + i));
    }
    return http.post("/api/v1/events/batch")
        .header("X-OL-Tenant-Key", sender.tenantKey())
        .header("X-OL-App-Key", sender.appKey())
        .json(Map.of("events", items))
        .send();
  }

  static void setAcceptedThisMonth(Tenant tenant, long accepted) {
    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "INSERT INTO usage_counters (tenant_id, period, accepted, rejected)"
                    + " VALUES (?, ?, ?, 0) ON DUPLICATE KEY UPDATE accepted = VALUES(accepted)")) {
      statement.setLong(1, tenant.id());
      statement.setString(2, YearMonth.now(ZoneOffset.UTC).toString());
      statement.setLong(3, accepted);
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- usage

  @Test
  void usageReportsLiveAppsFunnelsAndThisMonthsEvents() throws SQLException {
    Tenant tenant = newTenant();
    JsonNode fresh = usage(tenant);
    assertEquals("free", fresh.get("plan").asText());
    assertEquals(0, fresh.at("/apps/used").asInt());
    assertEquals(2, fresh.at("/apps/limit").asInt());
    assertEquals(0, fresh.at("/funnels/used").asInt());
    assertEquals(5, fresh.at("/funnels/limit").asInt());
    assertEquals(0, fresh.at("/monthly_events/used").asLong());
    assertEquals(100_000, fresh.at("/monthly_events/limit").asLong());
    assertEquals(0, fresh.at("/monthly_events/rejected").asLong());
    assertTrue(fresh.at("/subscription/status").isNull(), fresh::toString);
    assertTrue(fresh.at("/subscription/current_period_end").isNull(), fresh::toString);

    long app = createApp(tenant).json().get("app_id").asLong();
    long deletedApp = createApp(tenant).json().get("app_id").asLong();
    assertEquals(
        204, http.delete("/api/v1/apps/" + deletedApp).bearer(tenant.token()).send().status());
    String thisMonth = YearMonth.now(ZoneOffset.UTC).toString();
    String lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
    try (Connection connection = TestServers.get().connect()) {
      insertFunnel(connection, tenant, app, false);
      insertFunnel(connection, tenant, app, false);
      insertFunnel(connection, tenant, app, true);
      insertCounters(connection, tenant, thisMonth, 1_234, 56);
      insertCounters(connection, tenant, lastMonth, 99_999, 7);
    }

    JsonNode usage = usage(tenant);
    assertEquals(1, usage.at("/apps/used").asInt());
    assertEquals(2, usage.at("/funnels/used").asInt());
    assertEquals(1_234, usage.at("/monthly_events/used").asLong());
    assertEquals(56, usage.at("/monthly_events/rejected").asLong());
    assertEquals(thisMonth, usage.at("/monthly_events/period").asText());
    assertError(http.get("/api/v1/usage").send(), 401, "unauthorized");
  }

  // ---------------------------------------------------------------- helpers

  record Tenant(long id, String token) {
    String idText() {
      return Long.toString(id);
    }
  }

  record TenantState(
      String planCode,
      String customerId,
      String subscriptionId,
      String status,
      Instant currentPeriodEnd,
      Long subscriptionStateAt,
      Long paymentFailedAt,
      Long graceUntil) {}

  static long now() {
    return Instant.now().getEpochSecond();
  }

  Tenant newTenant() {
    Http.Response response =
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "Billing " + System.nanoTime()))
            .send();
    assertEquals(201, response.status(), response::toString);
    JsonNode body = response.json();
    return new Tenant(body.get("tenant_id").asLong(), body.get("management_token").asText());
  }

  Http.Response deliver(String payload) {
    return post(payload, signature(payload, now(), SECRET));
  }

  Http.Response post(String payload, String signatureHeader) {
    Http.Request request =
        http.post("/api/v1/billing/stripe/webhook")
            .bytes(
                payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json; charset=utf-8");
    if (signatureHeader != null) {
      request.header("Stripe-Signature", signatureHeader);
    }
    return request.send();
  }

  static void assertResult(Http.Response response, String result) {
    assertEquals(200, response.status(), response::toString);
    assertEquals(result, response.json().get("result").asText(), response::toString);
  }

  List<Http.Response> sendConcurrently(List<String> payloads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(payloads.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Http.Response>> futures = new ArrayList<>();
      for (String payload : payloads) {
        String header = signature(payload, now(), SECRET);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return post(payload, header);
                }));
      }
      start.countDown();
      List<Http.Response> responses = new ArrayList<>();
      for (Future<Http.Response> future : futures) {
        responses.add(future.get());
      }
      return responses;
    } finally {
      pool.shutdownNow();
    }
  }

  Http.Response createApp(Tenant tenant) {
    return http.post("/api/v1/apps")
        .bearer(tenant.token())
        .json(Map.of("name", "app " + System.nanoTime()))
        .send();
  }

  int listApps(Tenant tenant) {
    return http.get("/api/v1/apps").bearer(tenant.token()).send().json().get("apps").size();
  }

  JsonNode usage(Tenant tenant) {
    Http.Response response = http.get("/api/v1/usage").bearer(tenant.token()).send();
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  /** The limits the API applies now, from the usage endpoint and the tenant endpoint. */
  JsonNode assertLimits(Tenant tenant, String plan, int apps, int funnels, long events) {
    JsonNode usage = usage(tenant);
    assertEquals(plan, usage.get("plan").asText(), usage::toString);
    assertEquals(apps, usage.at("/apps/limit").asInt(), usage::toString);
    assertEquals(funnels, usage.at("/funnels/limit").asInt(), usage::toString);
    assertEquals(events, usage.at("/monthly_events/limit").asLong(), usage::toString);
    JsonNode self = http.get("/api/v1/tenant").bearer(tenant.token()).send().json();
    assertEquals(plan, self.at("/plan/code").asText(), self::toString);
    assertEquals(apps, self.at("/plan/max_apps").asInt(), self::toString);
    return usage;
  }

  TenantState state(Tenant tenant) {
    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement =
            connection.prepareStatement(
                """
                SELECT plan_code, stripe_customer_id, stripe_subscription_id, subscription_status,
                       current_period_end, subscription_state_at, payment_failed_at, grace_until
                FROM tenants WHERE id = ?
                """)) {
      statement.setLong(1, tenant.id());
      try (ResultSet rs = statement.executeQuery()) {
        assertTrue(rs.next());
        Timestamp periodEnd =
            rs.getTimestamp(
                "current_period_end",
                java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC")));
        return new TenantState(
            rs.getString("plan_code"),
            rs.getString("stripe_customer_id"),
            rs.getString("stripe_subscription_id"),
            rs.getString("subscription_status"),
            periodEnd == null ? null : periodEnd.toInstant(),
            (Long) rs.getObject("subscription_state_at", Long.class),
            (Long) rs.getObject("payment_failed_at", Long.class),
            (Long) rs.getObject("grace_until", Long.class));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  int storedEvents(String eventId) {
    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement =
            connection.prepareStatement("SELECT COUNT(*) FROM stripe_events WHERE id = ?")) {
      statement.setString(1, eventId);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void insertFunnel(Connection connection, Tenant tenant, long app, boolean deleted)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO funnels (tenant_id, app_id, name, window_seconds, order_mode, options,"
                + " deleted_at) VALUES (?, ?, ?, 604800, 'ordered', '{}', ?)")) {
      statement.setLong(1, tenant.id());
      statement.setLong(2, app);
      statement.setString(3, "funnel " + System.nanoTime());
      statement.setTimestamp(4, deleted ? Timestamp.from(Instant.now()) : null);
      statement.executeUpdate();
    }
  }

  static void insertCounters(
      Connection connection, Tenant tenant, String period, long accepted, long rejected)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO usage_counters (tenant_id, period, accepted, rejected) VALUES (?, ?, ?, ?)")) {
      statement.setLong(1, tenant.id());
      statement.setString(2, period);
      statement.setLong(3, accepted);
      statement.setLong(4, rejected);
      statement.executeUpdate();
    }
  }
}
