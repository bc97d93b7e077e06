package io.tracetics.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TypeScript SDK's test server ({@code sdk/typescript/test/run.mjs} starts this main): the
 * service through {@link ServiceProcess} with the repository's config.yml, on the {@link
 * TestServers} MariaDB (database {@code test_sdk}, or {@code TRACETICS_TEST_DB_NAME}, dropped and
 * created again) and Redis. Settings that let a test reach the limits quickly: 50 events/s per app
 * (burst 50), 3 s request and 1 s database timeouts, Retry-After 1 s.
 *
 * <p>Once healthy it prints one JSON line (URL, operator token, database, log file) and serves
 * until its standard input closes, then stops the service.
 *
 * <p>Arguments: the configuration file (config.yml) and the data directory (the log goes there as
 * {@code server.log}).
 */
public final class SdkTestServer {
  private SdkTestServer() {}

  public static void main(String[] args) throws IOException {
    Path config = Path.of(args[0]).toAbsolutePath();
    Path dataDir = Path.of(args[1]).toAbsolutePath();
    String database = System.getenv().getOrDefault("TRACETICS_TEST_DB_NAME", "test_sdk");
    String databaseUrl = TestServers.get().jdbcUrlOf(database);
    ServiceProcess.Options options =
        ServiceProcess.options("sdk-test", dataDir)
            .configFile(config)
            .databaseUrl(databaseUrl)
            .freshDatabase()
            .jvmArgs(java.util.List.of("-Xmx512m"))
            .log(dataDir.resolve("server.log"))
            .set("ingest.rateLimitEventsPerSecond", "50")
            .set("ingest.rateLimitBurst", "50")
            .set("ingest.requestTimeout", "3s")
            .set("ingest.databaseTimeout", "1s")
            .set("ingest.databaseRetryAfter", "1s");
    try (ServiceProcess service = ServiceProcess.start(options, Duration.ofMinutes(5))) {
      System.out.println(new ObjectMapper().writeValueAsString(describe(service, database)));
      System.out.flush();
      drain(System.in);
      service.stop(Duration.ofSeconds(20));
    }
  }

  private static Map<String, Object> describe(ServiceProcess service, String database) {
    URI server = URI.create(service.databaseUrl().substring("jdbc:".length()));
    Map<String, Object> db = new LinkedHashMap<>();
    db.put("host", server.getHost());
    db.put("port", server.getPort());
    db.put("user", "root");
    db.put("password", "");
    db.put("name", database);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("url", "http://127.0.0.1:" + service.port());
    line.put("operator_token", TestApp.OPERATOR_TOKEN);
    line.put("db", db);
    line.put("log", service.log().toString());
    return line;
  }

  /** Reads until end of input: the caller closed it, or exited. */
  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // nothing to do with the input itself
    }
  }
}
