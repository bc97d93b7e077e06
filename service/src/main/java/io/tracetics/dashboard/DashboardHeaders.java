package io.tracetics.dashboard;

import java.util.Map;

/**
 * The security headers of every dashboard response: the page loads only its own scripts, styles and
 * images (no inline script, no CDN), talks only to this origin's API and cannot be framed. Images
 * may also be {@code blob:} URLs the page made itself: a chart's SVG drawn onto a canvas for its
 * PNG download.
 */
public final class DashboardHeaders {
  public static final String CONTENT_SECURITY_POLICY = contentSecurityPolicy("'none'");

  /** The same policy with other {@code frame-ancestors} sources (a page meant to be framed). */
  public static String contentSecurityPolicy(String frameAncestors) {
    return String.join(
        "; ",
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors " + frameAncestors);
  }

  /** Header name -> value, in a fixed order. */
  public static final Map<String, String> ALL =
      Map.of(
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Referrer-Policy", "no-referrer",
          "Cross-Origin-Opener-Policy", "same-origin");

  private DashboardHeaders() {}
}
