package io.tracetics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks that a response is an error in the one shape of the API. */
public final class ApiAssertions {
  private ApiAssertions() {}

  /** Asserts status and the error body {code == status, error == key, message non-empty}. */
  public static JsonNode assertError(Http.Response response, int status, String errorKey) {
    assertEquals(status, response.status(), () -> "unexpected response: " + response);
    JsonNode body = response.json();
    assertEquals(status, body.path("code").asInt(), () -> "code must equal status: " + response);
    if (errorKey != null) {
      assertEquals(errorKey, body.path("error").asText(), () -> "error key: " + response);
    } else {
      assertFalse(body.path("error").asText().isEmpty(), () -> "error key missing: " + response);
    }
    assertTrue(body.path("message").isTextual(), () -> "message missing: " + response);
    assertFalse(body.path("message").asText().isBlank(), () -> "message empty: " + response);
    String text = response.text().toLowerCase(java.util.Locale.ROOT);
    assertFalse(text.contains("exception"), () -> "leaks internals: " + response);
    if (status >= 500) {
      assertFalse(text.contains("sql"), () -> "leaks SQL: " + response);
      assertTrue(body.path("log_id").isTextual(), () -> "5xx needs a log id: " + response);
    }
    return body;
  }
}
