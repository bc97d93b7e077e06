package io.tracetics.ops;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.LayoutBase;
import io.dropwizard.logging.json.AccessJsonLayoutBaseFactory;
import java.util.TimeZone;

/**
 * Dropwizard's request-log layout {@code access-json} (same settings, same fields), with share
 * links' tokens cut out of its lines. Not a type of its own: {@link RequestLogRedaction#install}
 * puts it in place of each configured {@code access-json} layout.
 */
public class AccessJsonLayoutFactory extends AccessJsonLayoutBaseFactory {
  /** The redacting layout with {@code configured}'s settings. */
  static AccessJsonLayoutFactory copyOf(AccessJsonLayoutBaseFactory configured) {
    AccessJsonLayoutFactory copy = new AccessJsonLayoutFactory();
    copy.setTimestampFormat(configured.getTimestampFormat());
    copy.setPrettyPrint(configured.isPrettyPrint());
    copy.setAppendLineSeparator(configured.isAppendLineSeparator());
    copy.setCustomFieldNames(configured.getCustomFieldNames());
    copy.setAdditionalFields(configured.getAdditionalFields());
    copy.setIncludes(configured.getIncludes());
    copy.setRequestHeaders(configured.getRequestHeaders());
    copy.setResponseHeaders(configured.getResponseHeaders());
    copy.setRequestAttributes(configured.getRequestAttributes());
    return copy;
  }

  @Override
  public LayoutBase<IAccessEvent> build(LoggerContext context, TimeZone timeZone) {
    return RequestLogRedaction.wrap(super.build(context, timeZone));
  }
}
