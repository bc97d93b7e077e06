package io.tracetics.app;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Settings for the servers started in-process when no MariaDB or Redis address is configured: the
 * one-command start on a fresh machine. Their data lives under {@code dataDir}.
 */
public class EmbeddedConfig {
  public static final int DEFAULT_MARIADB_PORT = 3407;
  public static final int DEFAULT_REDIS_PORT = 6479;

  @Min(1)
  @Max(65535)
  public int mariadbPort = DEFAULT_MARIADB_PORT;

  @Min(1)
  @Max(65535)
  public int redisPort = DEFAULT_REDIS_PORT;

  /** Database created in the embedded MariaDB. */
  @NotNull public String databaseName = "tracetics";

  /** Create a demo tenant and app on first start and print their keys with a curl line. */
  public boolean createDemoTenant = true;
}
