package io.tracetics.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.Tenants.TenantApp;
import io.tracetics.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fresh app with a write key, Segment-style requests, and reads of what MariaDB holds. */
final class SegmentFixtures {
  private SegmentFixtures() {}

  /** A tenant's app and one write key of it. */
  record Source(TenantApp app, String writeKey) {
    long appId() {
      return app.appId();
    }

    long tenantId() {
      return app.tenantId();
    }
  }

  static Source newSource(Http http) {
    TenantApp app = Tenants.create(http);
    Http.Response key =
        http.post("/api/v1/apps/" + app.appId() + "/write-keys")
            .bearer(app.managementToken())
            .send();
    assertEquals(201, key.status(), key::toString);
    return new Source(app, key.json().get("write_key").asText());
  }

  static String basic(String writeKey) {
    return "Basic "
        + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
  }

  /** A request authenticated as Segment's libraries do (Basic, the key as username). */
  static Http.Request post(Http http, String path, Source source) {
    return http.post(path).header("Authorization", basic(source.writeKey()));
  }

  static long count(String sql, Object... args) {
    return ((Number) rows(sql, args).get(0).values().iterator().next()).longValue();
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
          Map<String, Object> row = new LinkedHashMap<>();
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

  static long events(long appId) {
    return count("SELECT COUNT(*) FROM events WHERE app_id = ?", appId);
  }

  static long identifies(long appId) {
    return count("SELECT COUNT(*) FROM identifies WHERE app_id = ?", appId);
  }

  static String personOf(long appId, String alias) {
    List<Map<String, Object>> found =
        rows("SELECT person FROM identity_aliases WHERE app_id = ? AND alias = ?", appId, alias);
    return found.isEmpty() ? null : (String) found.get(0).get("person");
  }
}
