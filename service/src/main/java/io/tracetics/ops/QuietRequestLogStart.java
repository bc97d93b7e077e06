package io.tracetics.ops;

import ch.qos.logback.access.jetty.RequestLogImpl;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Keeps the request log (logback-access) from printing its own start-up status lines, plain text on
 * stdout ("|-WARN in LogbackAccessRequestLog - Versions of ... are different"), so that with JSON
 * logs every line the service writes is one JSON object. Set as the server starts, before the
 * request log does; errors in starting it are still printed (as a stack trace).
 */
public final class QuietRequestLogStart implements LifeCycle.Listener {
  @Override
  public void lifeCycleStarting(LifeCycle event) {
    if (event instanceof Server server && server.getRequestLog() instanceof RequestLogImpl log) {
      log.setQuiet(true);
    }
  }
}
