package io.tracetics.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/** Where Redis is. An empty URL starts the embedded Redis. */
public class RedisConfig {

  /** {@code redis://host:port}; empty means "start the embedded Redis". */
  @JsonProperty @NotNull public String url = "";

  @JsonProperty
  @Min(1)
  public int maxConnections = 16;

  @JsonProperty @NotNull public Duration timeout = Duration.seconds(2);

  public boolean isConfigured() {
    return !url.isBlank();
  }

  public URI uri() {
    URI uri = URI.create(url.trim());
    if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("redis.url must look like redis://host:port, got " + url);
    }
    return uri;
  }
}
