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

  public static DropwizardAppExtension<TraceticsConfiguration> extension(ConfigOverride... extra) {
    return build("test-config.yml", Map.of(), Arrays.asList(extra));
  }

  /**
   * The app with another test configuration file and with some of the defaults (database.url,
   * redis.url, dataDir, tenancy.operatorToken) replaced. Dropwizard applies overrides from a set in
   * no fixed order, so a default and a replacement of the same key must never both be passed.
   * Numbers cannot come from an override (the strict JSON settings refuse a string where a number
   * belongs): put them in the configuration file.
   */
  public static DropwizardAppExtension<TraceticsConfiguration> extension(
      String configResource, Map<String, Supplier<String>> replacements) {
    return build(configResource, replacements, List.of());
  }

  private static DropwizardAppExtension<TraceticsConfiguration> build(
      String configResource,
      Map<String, Supplier<String>> replacements,
      List<ConfigOverride> extra) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("tracetics-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Supplier<String>> values = new LinkedHashMap<>();
    values.put("database.url", () -> TestServers.get().jdbcUrl());
    values.put("redis.url", () -> TestServers.get().redisUrl());
    values.put("dataDir", dataDir::toString);
    values.put("tenancy.operatorToken", () -> OPERATOR_TOKEN);
    values.putAll(replacements);
    List<ConfigOverride> overrides = new ArrayList<>();
    values.forEach((key, value) -> overrides.add(ConfigOverride.config(key, value)));
    overrides.addAll(extra);
    return new DropwizardAppExtension<>(
        TraceticsApplication.class,
        ResourceHelpers.resourceFilePath(configResource),
        overrides.toArray(ConfigOverride[]::new));
  }
}
