package io.tracetics.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.logging.common.layout.DropwizardLayoutFactory;
import java.util.TimeZone;

/**
 * Layout {@code type: text}: Dropwizard's usual one-line text layout, selectable by name so that
 * config.yml can switch between {@code text} and {@code json} (dropwizard-json-logging) with one
 * environment variable. Dropwizard registers a name only for its JSON layouts.
 */
@JsonTypeName("text")
public class TextLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
  @Override
  public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
    return new DropwizardLayoutFactory().build(context, timeZone);
  }
}
