package io.tracetics.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.access.common.spi.IAccessEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.logging.json.AccessAttribute;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import io.tracetics.sharing.ShareTokens;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLogRedactionTest {
  @Test
  void shareTokensAreCutFromRequestLines() {
    String token = ShareTokens.generate();
    assertEquals(
        "127.0.0.1 - \"GET /s/sh_[redacted]?embed=1 HTTP/1.1\" 200",
        RequestLogRedaction.redact("127.0.0.1 - \"GET /s/" + token + "?embed=1 HTTP/1.1\" 200"));
    assertEquals(
        "{\"uri\":\"/api/v1/shared/sh_[redacted]/report\",\"status\":404}",
        RequestLogRedaction.redact(
            "{\"uri\":\"/api/v1/shared/" + token + "/report\",\"status\":404}"));
    // A made-up token of another length is cut too.
    assertEquals(
        "GET /s/sh_[redacted]x HTTP/1.1".replace("x", ""),
        RequestLogRedaction.redact("GET /s/sh_abcdefghijklmnopqrstuvwxyz HTTP/1.1"));
    String plain = "\"GET /api/v1/apps/3/funnels/7/shares HTTP/1.1\" 201";
    assertEquals(plain, RequestLogRedaction.redact(plain));
  }

  /** The configured {@code access-json} layout is replaced by the redacting one, same settings. */
  @Test
  void accessJsonLayoutsAreReplacedWithTheirSettings() throws Exception {
    ObjectMapper json = Jackson.newObjectMapper();
    DefaultServerFactory server =
        json.readValue(
            """
            {"type": "default", "requestLog": {"appenders": [
              {"type": "console", "layout": {"type": "access-json", "prettyPrint": true,
                                             "includes": ["requestUri", "statusCode"]}},
              {"type": "console", "layout": {"type": "access-text"}}]}}
            """,
            DefaultServerFactory.class);
    RequestLogRedaction.install(server);
    List<AppenderFactory<IAccessEvent>> appenders =
        ((LogbackAccessRequestLogFactory) server.getRequestLogFactory()).getAppenders();
    AccessJsonLayoutFactory layout =
        assertInstanceOf(
            AccessJsonLayoutFactory.class,
            ((AbstractAppenderFactory<IAccessEvent>) appenders.get(0)).getLayout());
    assertTrue(layout.isPrettyPrint());
    assertEquals(
        EnumSet.of(AccessAttribute.REQUEST_URI, AccessAttribute.STATUS_CODE), layout.getIncludes());
    assertInstanceOf(
        AccessTextLayoutFactory.class,
        ((AbstractAppenderFactory<IAccessEvent>) appenders.get(1)).getLayout());
  }
}
