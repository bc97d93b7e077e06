package io.tracetics.billing;

import static io.tracetics.billing.StripeFixtures.SECRET;
import static io.tracetics.billing.StripeFixtures.signature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.model.Event;
import com.stripe.net.Webhook;
import io.tracetics.billing.StripeFixtures.Subscription;
import io.tracetics.billing.StripeFixtures.Version;
import io.tracetics.errors.ApiException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading verified events of every API version and payload shape, without servers. */
class StripeEventReaderTest {
  private final StripeEventReader reader = new StripeEventReader(SECRET);

  private StripeEvent read(String payload) {
    return reader.read(payload, signature(payload, Instant.now().getEpochSecond(), SECRET));
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void readsThePeriodFromItemsOrRootWhateverTheApiVersion(Version version) {
    String payload =
        new Subscription(version, "sub_1", "cus_1", 1_760_000_000L)
            .type("customer.subscription.updated")
            .tenant(42)
            .status("past_due")
            .period(1_760_000_000L, 1_762_592_000L)
            .json();
    var state = assertInstanceOf(StripeEvent.SubscriptionState.class, read(payload));
    assertEquals("sub_1", state.subscriptionId());
    assertEquals("cus_1", state.customerId());
    assertEquals("past_due", state.status());
    assertEquals("42", state.metadataTenantId());
    assertEquals(StripeFixtures.PRO_PRICE, state.priceId());
    assertEquals(Instant.ofEpochSecond(1_760_000_000L), state.currentPeriodStart());
    assertEquals(Instant.ofEpochSecond(1_762_592_000L), state.currentPeriodEnd());
    assertEquals(1_760_000_000L, state.header().created());
    assertEquals(version.apiVersion, state.header().apiVersion());
    assertFalse(state.deleted());
  }

  @Test
  void stripeJavasTypedObjectIsEmptyForAnotherReleaseTrainWhichIsWhyTheReaderUsesRawJson() {
    String foreign = new Subscription(Version.BASIL_ITEMS, "sub_2", "cus_2", 1_760_000_000L).json();
    long now = Instant.now().getEpochSecond();
    Event event;
    try {
      event = Webhook.constructEvent(foreign, signature(foreign, now, SECRET), SECRET);
    } catch (com.stripe.exception.SignatureVerificationException e) {
      throw new AssertionError(e);
    }
    // The typed object is empty when the train differs from stripe-java's.
    assertTrue(event.getDataObjectDeserializer().getObject().isEmpty());
    var state = assertInstanceOf(StripeEvent.SubscriptionState.class, read(foreign));
    assertEquals(Instant.ofEpochSecond(1_760_000_000L + 30 * 86_400L), state.currentPeriodEnd());
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void readsTheInvoicesSubscriptionInBothShapes(Version version) {
    var failed =
        assertInstanceOf(
            StripeEvent.InvoiceOutcome.class,
            read(StripeFixtures.invoice(version, false, "sub_3", "cus_3", 7L, 1_760_000_000L)));
    assertEquals("sub_3", failed.subscriptionId());
    assertEquals("cus_3", failed.customerId());
    assertEquals("7", failed.metadataTenantId());
    assertFalse(failed.paid());
    var paid =
        assertInstanceOf(
            StripeEvent.InvoiceOutcome.class,
            read(StripeFixtures.invoice(version, true, "sub_3", "cus_3", null, 1_760_000_000L)));
    assertTrue(paid.paid());
    assertNull(paid.metadataTenantId());
  }

  @Test
  void readsCheckoutSessionsAndLeavesOtherTypesAlone() {
    var checkout =
        assertInstanceOf(
            StripeEvent.CheckoutCompleted.class,
            read(
                StripeFixtures.checkoutCompleted(
                    Version.DAHLIA_ITEMS, "12", "cus_4", "sub_4", 1_760_000_000L)));
    assertEquals("12", checkout.clientReferenceId());
    assertEquals("cus_4", checkout.customerId());
    assertEquals("sub_4", checkout.subscriptionId());
    assertInstanceOf(
        StripeEvent.Other.class, read(StripeFixtures.customerCreated("cus_5", 1_760_000_000L)));
  }

  @Test
  void checksTheSignatureBeforeReadingAnything() {
    String notJson = "{{{ definitely not json";
    long now = Instant.now().getEpochSecond();
    ApiException unsigned =
        assertThrows(
            ApiException.class, () -> reader.read(notJson, signature(notJson, now, "whsec_other")));
    assertEquals("invalid_signature", unsigned.error());
    ApiException signed =
        assertThrows(
            ApiException.class, () -> reader.read(notJson, signature(notJson, now, SECRET)));
    assertEquals("malformed_event", signed.error());
    ApiException missing = assertThrows(ApiException.class, () -> reader.read("{}", null));
    assertEquals("invalid_signature", missing.error());
  }
}
