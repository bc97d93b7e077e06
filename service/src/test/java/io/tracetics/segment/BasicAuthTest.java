package io.tracetics.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
  static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theUsernameIsTheWriteKeyWithOrWithoutAPassword() {
    assertEquals(Optional.of("wk_abc"), BasicAuth.username(basic("wk_abc:")));
    assertEquals(Optional.of("wk_abc"), BasicAuth.username(basic("wk_abc")));
    assertEquals(Optional.of("wk_abc"), BasicAuth.username(basic("wk_abc:ignored")));
    assertEquals(
        Optional.of("wk_abc"), BasicAuth.username("basic " + basic("wk_abc:").substring(6)));
    assertEquals(Optional.of("wk_abc"), BasicAuth.username("  " + basic("wk_abc:") + " "));
  }

  @Test
  void anythingElseNamesNoKey() {
    assertEquals(Optional.empty(), BasicAuth.username(null));
    assertEquals(Optional.empty(), BasicAuth.username(""));
    assertEquals(Optional.empty(), BasicAuth.username("Bearer wk_abc"));
    assertEquals(Optional.empty(), BasicAuth.username("Basic"));
    assertEquals(Optional.empty(), BasicAuth.username("Basic !!!not-base64"));
    assertEquals(Optional.empty(), BasicAuth.username(basic(":password-only")));
    assertEquals(Optional.empty(), BasicAuth.username(basic("")));
    assertEquals(Optional.empty(), BasicAuth.username(basic("k".repeat(600))));
  }
}
