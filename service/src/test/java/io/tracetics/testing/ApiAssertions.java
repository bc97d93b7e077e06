package io.tracetics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import java.util.function.Supplier;

/** Checks that a response is an error in the one shape of the API. */
public final class ApiAssertions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiAssertions() {}

  /** Asserts status and the error body {code == status, error == key, message non-empty}. */
  public static JsonNode assertError(Http.Response response, int status, String errorKey) {
    return check(
        status, response.status(), response.json(), response.text(), errorKey, response::toString);
  }

  /**
   * The same for a JAX-RS response (a {@code ResourceExtension} client), which must also say that
   * it is JSON.
   */
  public static JsonNode assertError(
      jakarta.ws.rs.core.Response response, int status, String errorKey) {
    String text = response.readEntity(String.class);
    Supplier<String> describe = () -> response.getStatus() + " " + text;
    assertTrue(
        MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType()),
        () -> "content type " + response.getMediaType() + ": " + describe.get());
    JsonNode body;
    try {
      body = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + describe.get(), e);
    }
    return check(status, response.getStatus(), body, text, errorKey, describe);
  }

  private static JsonNode check(
      int status,
      int actualStatus,
      JsonNode body,
      String rawText,
      String errorKey,
      Supplier<String> response) {
    assertEquals(status, actualStatus, () -> "unexpected response: " + response.get());
    assertEquals(
        status, body.path("code").asInt(), () -> "code must equal status: " + response.get());
    if (errorKey != null) {
      assertEquals(errorKey, body.path("error").asText(), () -> "error key: " + response.get());
    } else {
      assertFalse(
          body.path("error").asText().isEmpty(), () -> "error key missing: " + response.get());
    }
    assertTrue(body.path("message").isTextual(), () -> "message missing: " + response.get());
    assertFalse(body.path("message").asText().isBlank(), () -> "message empty: " + response.get());
    String text = rawText.toLowerCase(java.util.Locale.ROOT);
    assertFalse(text.contains("exception"), () -> "leaks internals: " + response.get());
    if (status >= 500) {
      assertFalse(text.contains("sql"), () -> "leaks SQL: " + response.get());
      assertTrue(body.path("log_id").isTextual(), () -> "5xx needs a log id: " + response.get());
    }
    return body;
  }
}
