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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The whole application under DropwizardAppExtension, pointed at {@link TestServers}. */
public final class TestApp {
  public static final String OPERATOR_TOKEN = "test-operator-token-0123456789";

  private TestApp() {}

  /** The app with the test servers, plus extra overrides of keys the defaults do not set. */
  public static DropwizardAppExtension<TraceticsConfiguration> extension(ConfigOverride... extra) {
    return build(defaults(), Arrays.asList(extra));
  }

  /**
   * The app with some default settings replaced (for example {@code redis.url}): a key given here
   * wins over the default of the same key.
   */
  public static DropwizardAppExtension<TraceticsConfiguration> extensionWith(
      Map<String, String> replaced, ConfigOverride... extra) {
    Map<String, Supplier<String>> settings = defaults();
    replaced.forEach((key, value) -> settings.put(key, () -> value));
    return build(settings, Arrays.asList(extra));
  }

  private static Map<String, Supplier<String>> defaults() {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("tracetics-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Supplier<String>> settings = new LinkedHashMap<>();
    settings.put("database.url", () -> TestServers.get().jdbcUrl());
    settings.put("redis.url", () -> TestServers.get().redisUrl());
    settings.put("dataDir", dataDir::toString);
    settings.put("tenancy.operatorToken", () -> OPERATOR_TOKEN);
    return settings;
  }

  private static DropwizardAppExtension<TraceticsConfiguration> build(
      Map<String, Supplier<String>> settings, List<ConfigOverride> extra) {
    List<ConfigOverride> overrides = new ArrayList<>();
    settings.forEach((key, value) -> overrides.add(ConfigOverride.config(key, value)));
    overrides.addAll(extra);
    return new DropwizardAppExtension<>(
        TraceticsApplication.class,
        ResourceHelpers.resourceFilePath("test-config.yml"),
        overrides.toArray(ConfigOverride[]::new));
  }
}
