package io.tracetics.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Without STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET: billing answers 503, usage still works. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BillingDisabledIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  @Test
  void billingEndpointsSayBillingIsDisabled() {
    Http http = new Http(APP.getLocalPort());
    String payload =
        new StripeFixtures.Subscription(
                StripeFixtures.Version.DAHLIA_ITEMS,
                StripeFixtures.newId("sub_"),
                StripeFixtures.newId("cus_"),
                Instant.now().getEpochSecond())
            .json();
    Http.Response webhook =
        http.post("/api/v1/billing/stripe/webhook")
            .header(
                "Stripe-Signature",
                StripeFixtures.signature(
                    payload, Instant.now().getEpochSecond(), StripeFixtures.SECRET))
            .body(payload)
            .send();
    assertDisabled(webhook, "STRIPE_WEBHOOK_SECRET");

    Http.Response created =
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "No billing"))
            .send();
    String token = created.json().get("management_token").asText();
    Http.Response checkout =
        http.post("/api/v1/billing/checkout")
            .bearer(token)
            .json(
                Map.of(
                    "plan", "pro",
                    "success_url", "https://a.example/ok",
                    "cancel_url", "https://a.example/no"))
            .send();
    assertDisabled(checkout, "STRIPE_API_KEY");

    Http.Response usage = http.get("/api/v1/usage").bearer(token).send();
    assertEquals(200, usage.status(), usage::toString);
    assertEquals("free", usage.json().get("plan").asText());
  }

  private static void assertDisabled(Http.Response response, String setting) {
    assertEquals(503, response.status(), response::toString);
    JsonNode body = response.json();
    assertEquals(503, body.get("code").asInt());
    assertEquals("billing_disabled", body.get("error").asText());
    assertTrue(body.get("message").asText().contains(setting), body::toString);
  }
}
