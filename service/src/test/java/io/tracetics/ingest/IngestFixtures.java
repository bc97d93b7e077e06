package io.tracetics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetics.testing.Http;
import io.tracetics.testing.TestApp;
import io.tracetics.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Fresh tenants and apps for ingest tests, and direct reads of what MariaDB holds. */
final class IngestFixtures {
  private IngestFixtures() {}

  /** A fresh tenant with one app: everything a test needs to send events. */
  record Sender(long tenantId, String tenantKey, String token, long appId, String appKey) {}

  static Sender newSender(Http http) {
    Http.Response tenant =
        http.post("/api/v1/tenants")
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("name", "Ingest " + System.nanoTime()))
            .send();
    assertEquals(201, tenant.status(), tenant::toString);
    JsonNode body = tenant.json();
    String token = body.get("management_token").asText();
    Http.Response app = http.post("/api/v1/apps").bearer(token).json(Map.of("name", "web")).send();
    assertEquals(201, app.status(), app::toString);
    return new Sender(
        body.get("tenant_id").asLong(),
        body.get("tenant_key").asText(),
        token,
        app.json().get("app_id").asLong(),
        app.json().get("app_key").asText());
  }

  static Http.Request keyed(Http.Request request, Sender sender) {
    return request
        .header("X-OL-Tenant-Key", sender.tenantKey())
        .header("X-OL-App-Key", sender.appKey());
  }

  static long countEvents(long appId) {
    return queryLong("SELECT COUNT(*) FROM events WHERE app_id = ?", appId);
  }

  static long queryLong(String sql, Object... args) {
    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Map<String, Object>> rows(String sql, Object... args) {
    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        List<Map<String, Object>> result = new ArrayList<>();
        int columns = rows.getMetaData().getColumnCount();
        while (rows.next()) {
          Map<String, Object> row = new java.util.LinkedHashMap<>();
          for (int c = 1; c <= columns; c++) {
            row.put(rows.getMetaData().getColumnLabel(c), rows.getObject(c));
          }
          result.add(row);
        }
        return result;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void execute(String sql, Object... args) {
    try (Connection connection = TestServers.get().connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static String currentPeriod() {
    return YearMonth.now(ZoneOffset.UTC).toString();
  }

  /** {accepted, rejected} of the tenant's current month, {0, 0} when there is no row yet. */
  static long[] usage(long tenantId) {
    List<Map<String, Object>> rows =
        rows(
            "SELECT accepted, rejected FROM usage_counters WHERE tenant_id = ? AND period = ?",
            tenantId,
            currentPeriod());
    if (rows.isEmpty()) {
      return new long[] {0, 0};
    }
    return new long[] {
      ((Number) rows.get(0).get("accepted")).longValue(),
      ((Number) rows.get(0).get("rejected")).longValue()
    };
  }

  static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
        gzip.write(raw);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> event(String name, String user) {
    return Map.of("event_name", name, "user_identifier", user);
  }

  static Map<String, Object> event(String name, String user, String eventId) {
    return Map.of("event_name", name, "user_identifier", user, "event_id", eventId);
  }
}
