package io.tracetics.ops;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.core.LayoutBase;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.logging.json.AccessJsonLayoutBaseFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import java.util.regex.Pattern;

/**
 * Keeps the one secret that travels in URLs, a share link's token ({@code /s/sh_...}, {@code
 * /api/v1/shared/sh_.../report}), out of the request log: every line of either layout has it cut to
 * its prefix. Every other secret travels only in headers, which the request log never writes.
 */
public final class RequestLogRedaction {
  /** A share token: {@code sh_} and its base64url random part (see {@code sharing.ShareTokens}). */
  private static final Pattern SHARE_TOKEN = Pattern.compile("sh_[A-Za-z0-9_-]{16,}");

  static final String REDACTED = "sh_[redacted]";

  private RequestLogRedaction() {}

  public static String redact(String line) {
    return line.indexOf("sh_") < 0 ? line : SHARE_TOKEN.matcher(line).replaceAll(REDACTED);
  }

  /**
   * Puts the redacting JSON layout in place of each {@code access-json} layout of the request log
   * (the text layout, {@code access-text}, redacts by itself). Called before the server is built.
   */
  public static void install(ServerFactory server) {
    if (!(server instanceof AbstractServerFactory factory)
        || !(factory.getRequestLogFactory() instanceof LogbackAccessRequestLogFactory log)) {
      return;
    }
    for (AppenderFactory<IAccessEvent> appender : log.getAppenders()) {
      if (appender instanceof AbstractAppenderFactory<IAccessEvent> configured
          && configured.getLayout() != null
          && configured.getLayout().getClass() == AccessJsonLayoutBaseFactory.class) {
        configured.setLayout(
            AccessJsonLayoutFactory.copyOf((AccessJsonLayoutBaseFactory) configured.getLayout()));
      }
    }
  }

  /** {@code layout}'s lines, redacted. */
  static LayoutBase<IAccessEvent> wrap(LayoutBase<IAccessEvent> layout) {
    return new LayoutBase<>() {
      @Override
      public String doLayout(IAccessEvent event) {
        return redact(layout.doLayout(event));
      }

      @Override
      public void start() {
        layout.start();
        super.start();
      }

      @Override
      public void stop() {
        layout.stop();
        super.stop();
      }

      @Override
      public String getContentType() {
        return layout.getContentType();
      }
    };
  }
}
