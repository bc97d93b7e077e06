package io.tracetics.benchmarks;

import io.tracetics.testing.ServiceProcess;
import io.tracetics.testing.Tenants;
import java.nio.charset.StandardCharsets;

/**
 * The two servers the ingest benchmark drives, each a separate JVM from the same configuration: the
 * real service, and the floor server ({@link FloorApplication}, the same endpoints storing nothing)
 * on a database and notice stream of its own, so that none of the real run's work reaches it. Each
 * has a tenant on the {@code business} plan (the monthly quota never stops a run) and the four
 * loads are the same requests to either.
 */
final class IngestServers implements AutoCloseable {
  private final ServiceProcess real;
  private final ServiceProcess floor;
  private final JvmProbe realJvm;
  private final JvmProbe floorJvm;
  final Load single;
  final Load batch;
  final Load floorSingle;
  final Load floorBatch;
  final RawInsertFloor rawInsert;

  private IngestServers(ServiceProcess real, ServiceProcess floor, int batchSize) {
    this.real = real;
    this.floor = floor;
    this.realJvm = new JvmProbe(real.pid());
    this.floorJvm = new JvmProbe(floor.pid());
    Tenants.TenantApp realKeys = Tenants.create(real.http(), "business");
    Tenants.TenantApp floorKeys = Tenants.create(floor.http(), "business");
    byte[] singleBody = singleBody();
    byte[] batchBody = batchBody(batchSize);
    this.single = load(real, realKeys, "/api/v1/events", singleBody, 1);
    this.batch = load(real, realKeys, "/api/v1/events/batch", batchBody, batchSize);
    this.floorSingle = load(floor, floorKeys, "/api/v1/events", singleBody, 1);
    this.floorBatch = load(floor, floorKeys, "/api/v1/events/batch", batchBody, batchSize);
    this.rawInsert = new RawInsertFloor(real.databaseUrl(), realKeys.appId());
  }

  /**
   * Starts both on empty databases: the events table's size changes what an insert costs, and a
   * fresh node would first load the history of earlier runs into its DuckDB file, on the same
   * cores, during the measurements ({@code pipeline.startAt: latest} keeps it from that even on a
   * database that is not empty).
   */
  static IngestServers start(IngestSettings settings) {
    ServiceProcess real =
        BenchServices.start(
            settings(
                BenchServices.options("ingest", settings.dbUrl(), settings.redisUrl()), settings));
    try {
      ServiceProcess floor =
          BenchServices.start(
              settings(
                      BenchServices.options(
                          "ingest-floor", settings.floorDbUrl(), settings.redisUrl()),
                      settings)
                  .mainClass(FloorApplication.class.getName())
                  .set("ingest.noticeStream", "\"tracetics:ingest-notices-floor\""));
      return new IngestServers(real, floor, settings.batch());
    } catch (RuntimeException e) {
      real.close();
      throw e;
    }
  }

  /**
   * A rate limit and queue that do not interfere, {@code bench.writerThreads} writers, a pipeline
   * that starts at the latest event.
   */
  private static ServiceProcess.Options settings(
      ServiceProcess.Options options, IngestSettings settings) {
    return options
        .freshDatabase()
        .set("pipeline.startAt", "latest")
        .set("ingest.rateLimitEventsPerSecond", "1000000000")
        .set("ingest.rateLimitBurst", "1000000000")
        .set("ingest.maxQueuedEvents", "200000")
        .set("ingest.writerThreads", Integer.toString(settings.writers()));
  }

  private static Load load(
      ServiceProcess server, Tenants.TenantApp keys, String path, byte[] body, int events) {
    return new Load(
        server.port(), RawHttpClient.post(path, keys.tenantKey(), keys.appKey(), body), events);
  }

  private static byte[] singleBody() {
    return ("{\"event_name\": \"signup_completed\", \"user_identifier\": \"user_123\",\n"
            + " \"metadata\": {\"plan\": \"pro\", \"source\": \"landing_page\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] batchBody(int size) {
    StringBuilder batch = new StringBuilder("{\"events\": [");
    for (int i = 0; i < size; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"event_name\": \"page_viewed\", \"user_identifier\": \"user_")
          .append(i)
          .append("\", \"metadata\": {\"plan\": \"pro\", \"source\": \"landing_page\", \"i\": ")
          .append(i)
          .append("}}");
    }
    return batch.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Waits until both servers are idle (see {@link JvmProbe#awaitIdle}). */
  void awaitIdle() throws InterruptedException {
    realJvm.awaitIdle();
    floorJvm.awaitIdle();
  }

  /** CPU the JIT compiler threads of both servers used so far (ms), or -1 without /proc. */
  long compilerCpuMillis() {
    long realMillis = realJvm.compilerCpuMillis();
    long floorMillis = floorJvm.compilerCpuMillis();
    return realMillis < 0 || floorMillis < 0 ? -1 : realMillis + floorMillis;
  }

  /** The real service's peak RSS (MB). */
  long peakRssMb() {
    return realJvm.peakRssMb();
  }

  String dbUrl() {
    return real.databaseUrl();
  }

  @Override
  public void close() {
    floor.stop(java.time.Duration.ofSeconds(15));
    real.stop(java.time.Duration.ofSeconds(15));
  }
}
