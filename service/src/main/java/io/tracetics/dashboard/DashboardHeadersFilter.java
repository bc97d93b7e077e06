package io.tracetics.dashboard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Adds {@link DashboardHeaders} to the dashboard's static files under {@code /dashboard/*} (or
 * other security headers to another page's files, such as the API reference's).
 */
public class DashboardHeadersFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  private final Map<String, String> headers;

  public DashboardHeadersFilter() {
    this(DashboardHeaders.ALL);
  }

  public DashboardHeadersFilter(Map<String, String> headers) {
    this.headers = Map.copyOf(headers);
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    headers.forEach(response::setHeader);
    // Revalidate each time (ETags make that cheap): a new release is picked up at once.
    response.setHeader("Cache-Control", "no-cache");
    chain.doFilter(request, response);
  }
}
