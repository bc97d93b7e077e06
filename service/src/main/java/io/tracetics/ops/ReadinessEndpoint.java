package io.tracetics.ops;

import io.dropwizard.core.setup.Environment;
import java.util.concurrent.ExecutorService;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires {@code GET /ready} on the admin port: not ready until the server has started, ready while
 * MariaDB answers a ping (checked at most once per {@code databaseCheckCache}, waiting at most
 * {@code databaseCheckTimeout}), and not ready from the first moment of shutdown; shutdown then
 * waits {@code drainDelay} before Jetty closes its connectors.
 */
public final class ReadinessEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(ReadinessEndpoint.class);

  private ReadinessEndpoint() {}

  public static Readiness register(Environment environment, OperationsConfig config, Jdbi jdbi) {
    ExecutorService probeThread =
        environment
            .lifecycle()
            .executorService("readiness-check")
            .minThreads(1)
            .maxThreads(1)
            .build();
    int pingSeconds = (int) Math.max(1, config.databaseCheckTimeout.toSeconds());
    TimeBoundCheck database =
        new TimeBoundCheck(
            "MariaDB",
            () -> {
              boolean valid = jdbi.withHandle(h -> h.getConnection().isValid(pingSeconds));
              if (!valid) {
                throw new IllegalStateException("connection not valid");
              }
            },
            probeThread,
            config.databaseCheckTimeout.toJavaDuration(),
            config.databaseCheckCache.toJavaDuration(),
            System::nanoTime);
    Readiness readiness = new Readiness(database);
    environment
        .admin()
        .addServlet("ready", new ReadinessServlet(readiness, environment.getObjectMapper()))
        .addMapping("/ready");
    environment.lifecycle().addServerLifecycleListener(server -> readiness.started());
    long drainMillis = config.drainDelay.toMilliseconds();
    environment
        .lifecycle()
        .addEventListener(
            new LifeCycle.Listener() {
              @Override
              public void lifeCycleStopping(LifeCycle server) {
                readiness.draining();
                if (drainMillis > 0) {
                  LOG.info("Draining: /ready answers 503 for {} ms before shutdown", drainMillis);
                  try {
                    Thread.sleep(drainMillis);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              }
            });
    return readiness;
  }
}
