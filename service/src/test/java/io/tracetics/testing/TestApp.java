package io.tracetics.testing;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tracetics.app.TraceticsApplication;
import io.tracetics.app.TraceticsConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The whole application under DropwizardAppExtension, pointed at {@link TestServers}. */
public final class TestApp {
  public static final String OPERATOR_TOKEN = "test-operator-token-0123456789";

  private TestApp() {}

  public static DropwizardAppExtension<TraceticsConfiguration> extension(ConfigOverride... extra) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("tracetics-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<ConfigOverride> overrides = new ArrayList<>();
    overrides.add(ConfigOverride.config("database.url", () -> TestServers.get().jdbcUrl()));
    overrides.add(ConfigOverride.config("redis.url", () -> TestServers.get().redisUrl()));
    overrides.add(ConfigOverride.config("dataDir", dataDir.toString()));
    overrides.add(ConfigOverride.config("tenancy.operatorToken", OPERATOR_TOKEN));
    overrides.addAll(Arrays.asList(extra));
    return new DropwizardAppExtension<>(
        TraceticsApplication.class,
        ResourceHelpers.resourceFilePath("test-config.yml"),
        overrides.toArray(ConfigOverride[]::new));
  }
}
