package io.tracetics.api;

import java.util.Map;

/**
 * The security headers of the API reference's page and files: only this origin's scripts (Swagger
 * UI's bundle and the page's initializer; no inline script, no eval), styles and API; images also
 * as {@code data:} URLs, which Swagger UI's stylesheet uses for its icons. Never framed.
 */
public final class ApiDocsHeaders {
  public static final String CONTENT_SECURITY_POLICY =
      String.join(
          "; ",
          "default-src 'none'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self' data:",
          "connect-src 'self'",
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'");

  /** Header name -> value. */
  public static final Map<String, String> ALL =
      Map.of(
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Referrer-Policy", "no-referrer",
          "Cross-Origin-Opener-Policy", "same-origin");

  private ApiDocsHeaders() {}
}
