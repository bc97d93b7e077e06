package io.tracetics.ops;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.pattern.PatternLayoutBase;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.request.logging.layout.LogbackAccessRequestLayoutFactory;
import java.util.TimeZone;

/**
 * Request-log layout {@code type: access-text}, the text counterpart of {@code access-json}: one
 * line per request with remote address, time, request line, status, bytes and milliseconds. Never
 * headers (keys and tokens travel only in headers) and never bodies; share links' tokens, which are
 * in their URLs, are cut out ({@link RequestLogRedaction}).
 */
@JsonTypeName("access-text")
public class AccessTextLayoutFactory implements DiscoverableLayoutFactory<IAccessEvent> {
  static final String PATTERN = "%h %t \"%r\" %s %b %D ms";

  @Override
  public LayoutBase<IAccessEvent> build(LoggerContext context, TimeZone timeZone) {
    PatternLayoutBase<IAccessEvent> layout =
        new LogbackAccessRequestLayoutFactory().build(context, timeZone);
    layout.setPattern(PATTERN);
    return RequestLogRedaction.wrap(layout);
  }
}
