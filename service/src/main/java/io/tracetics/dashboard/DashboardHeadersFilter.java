package io.tracetics.dashboard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Adds {@link DashboardHeaders} to the dashboard's static files under {@code /dashboard/*}. */
public class DashboardHeadersFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    DashboardHeaders.ALL.forEach(response::setHeader);
    // Revalidate each time (ETags make that cheap): a new release is picked up at once.
    response.setHeader("Cache-Control", "no-cache");
    chain.doFilter(request, response);
  }
}
