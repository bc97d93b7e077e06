package io.tracetics.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.errors.ApiError;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /ready} on the admin port: 200 {@code {"ready": true}} when this node should get
 * traffic, else 503 in the API's one error shape with {@code "error": "not_ready"} and a {@code
 * reason} ({@code starting}, {@code draining}, {@code database_unavailable}).
 */
public final class ReadinessServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Readiness readiness;
  private final transient ObjectMapper json;

  public ReadinessServlet(Readiness readiness, ObjectMapper json) {
    this.readiness = readiness;
    this.json = json;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Readiness.Status status = readiness.status();
    Object body;
    if (status.ready()) {
      response.setStatus(HttpServletResponse.SC_OK);
      body = Map.of("ready", true);
    } else {
      response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("ready", false);
      details.put("reason", status.reason());
      body = new ApiError(503, "not_ready", status.message(), null, null, details);
    }
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    json.writeValue(response.getOutputStream(), body);
  }
}
