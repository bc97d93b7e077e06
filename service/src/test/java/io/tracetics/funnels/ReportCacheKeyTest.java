package io.tracetics.funnels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.tracetics.app.StrictJson;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReportCacheKeyTest {
  private static final ObjectMapper JSON = json();

  private static ObjectMapper json() {
    ObjectMapper mapper = Jackson.newObjectMapper();
    StrictJson.configure(mapper);
    return mapper;
  }

  private static ReportCacheKey key(ReportParams params) {
    return ReportCacheKey.of(JSON, params);
  }

  @Test
  void breakdownSourceIsPartOfTheKey() {
    ReportParams event = new ReportParams(null, null, "plan", null, null, "event");
    ReportParams user = new ReportParams(null, null, "plan", null, null, "user");
    ReportParams unsaid = new ReportParams(null, null, "plan", null, null, null);
    assertFalse(Arrays.equals(key(event).hash(), key(user).hash()));
    assertFalse(Arrays.equals(key(event).hash(), key(unsaid).hash()));
    assertFalse(Arrays.equals(key(user).hash(), key(unsaid).hash()));
    assertEquals(
        "{\"from\":null,\"to\":null,\"breakdown\":\"plan\",\"interval\":null,\"mode\":null,"
            + "\"breakdown_source\":\"user\"}",
        key(user).params());
  }

  @Test
  void compareIsPartOfTheKey() {
    ReportParams plain = new ReportParams("2026-01-08", "2026-01-15", null, null, null);
    ReportParams compared = plain.withCompare("previous");
    assertFalse(Arrays.equals(key(plain).hash(), key(compared).hash()));
    assertEquals(
        "{\"from\":\"2026-01-08\",\"to\":\"2026-01-15\",\"breakdown\":null,\"interval\":null,"
            + "\"mode\":null,\"compare\":\"previous\"}",
        key(compared).params());
  }

  /** Parameters not given leave the key as it was before they existed: old cache rows still hit. */
  @Test
  void keysWithoutTheNewParametersAreUnchanged() {
    assertEquals(
        "{\"from\":null,\"to\":null,\"breakdown\":null,\"interval\":null,\"mode\":null}",
        key(ReportParams.NONE).params());
    assertArrayEquals(
        key(ReportParams.NONE).hash(),
        key(new ReportParams(null, null, null, null, null, null, null)).hash());
  }

  @Test
  void theSameParametersGiveTheSameKey() {
    ReportParams a = new ReportParams("2026-01-01", null, "source", "day", "strict", "event");
    ReportParams b = new ReportParams("2026-01-01", null, "source", "day", "strict", "event");
    assertArrayEquals(key(a).hash(), key(b).hash());
    assertEquals(32, key(a).hash().length);
  }
}
