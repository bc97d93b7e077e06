package io.tracetics.tenancy;

import io.tracetics.ids.AppId;
import io.tracetics.ids.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Row mappers for the tenancy tables. */
final class TenancyMappers {
  private TenancyMappers() {}

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }

  static PlanRow plan(ResultSet rs, String prefix) throws SQLException {
    return new PlanRow(
        rs.getString(prefix + "code"),
        rs.getString(prefix + "name"),
        rs.getObject(prefix + "max_apps", Integer.class),
        rs.getObject(prefix + "max_funnels", Integer.class),
        rs.getObject(prefix + "max_cohorts", Integer.class),
        rs.getObject(prefix + "max_monthly_events", Long.class),
        rs.getInt(prefix + "sort_order"),
        rs.getBoolean(prefix + "available"));
  }

  public static final class PlanMapper implements RowMapper<PlanRow> {
    @Override
    public PlanRow map(ResultSet rs, StatementContext ctx) throws SQLException {
      return plan(rs, "");
    }
  }

  public static final class TenantMapper implements RowMapper<TenantRow> {
    @Override
    public TenantRow map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new TenantRow(
          new TenantId(rs.getLong("id")),
          rs.getString("name"),
          plan(rs, "plan_"),
          instant(rs, "created_at"),
          rs.getString("subscription_status"),
          instant(rs, "current_period_end"));
    }
  }

  public static final class AppMapper implements RowMapper<AppRow> {
    @Override
    public AppRow map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new AppRow(
          new AppId(rs.getLong("id")),
          new TenantId(rs.getLong("tenant_id")),
          rs.getString("name"),
          instant(rs, "created_at"));
    }
  }

  public static final class CredentialMapper implements RowMapper<CredentialRow> {
    @Override
    public CredentialRow map(ResultSet rs, StatementContext ctx) throws SQLException {
      long appId = rs.getLong("app_id");
      AppId app = rs.wasNull() ? null : new AppId(appId);
      return new CredentialRow(
          rs.getLong("id"),
          new TenantId(rs.getLong("tenant_id")),
          app,
          CredentialKind.fromDb(rs.getString("kind")),
          rs.getBytes("key_hash"));
    }
  }
}
