package io.tracetics.engine.explore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which functions a tenant's query may call: an allow-list taken from DuckDB's own catalog at
 * startup (scalar, aggregate, window functions and scalar macros), minus everything that reads
 * settings, the catalog, sessions, files, logs or sequences, or that sleeps. Functions that appear
 * later (an extension loaded after startup) are therefore not allowed. Table functions (in {@code
 * FROM}) are a short fixed list that only generate rows from their arguments.
 */
public final class FunctionPolicy {
  /** Table functions allowed in FROM: they compute rows from their arguments only. */
  public static final Set<String> TABLE_FUNCTIONS =
      Set.of("range", "generate_series", "unnest", "json_each", "json_tree");

  /** Name prefixes never allowed, whatever the catalog holds. */
  static final List<String> DENIED_PREFIXES =
      List.of(
          "duckdb_",
          "pg_",
          "has_",
          "read_",
          "parquet_",
          "iceberg_",
          "delta_",
          "ducklake_",
          "sqlite_",
          "postgres_",
          "mysql_",
          "enable_",
          "disable_",
          "pragma_",
          "json_execute",
          "inet_",
          "current_setting",
          "current_query",
          "current_schema",
          "current_connection",
          "current_transaction",
          // The engine's own native aggregate (GROUP BY only; see NativeFunnelPlan).
          "tracetics_");

  /** Names never allowed, whatever the catalog holds. */
  static final Set<String> DENIED_NAMES =
      Set.of(
          "current_database",
          "current_catalog",
          "current_role",
          "current_user",
          "session_user",
          "user",
          "getvariable",
          "getenv",
          "nextval",
          "currval",
          "setseed",
          "version",
          "txid_current",
          "stats",
          "json_serialize_sql",
          "json_deserialize_sql",
          "json_serialize_plan",
          "parse_duckdb_log_message",
          "write_log",
          "sleep_ms",
          "col_description",
          "obj_description",
          "shobj_description",
          "format_pg_type",
          "format_type",
          "map_to_pg_oid",
          "in_search_path",
          "get_block_size",
          "which_secret",
          "glob",
          "query",
          "query_table",
          "sql_auto_complete",
          "checkpoint",
          "force_checkpoint",
          "load",
          "install",
          "sniff_csv");

  private final Set<String> allowed;

  private FunctionPolicy(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  /** Builds the allow-list from the catalog that {@code connection} sees. */
  public static FunctionPolicy load(Connection connection) throws SQLException {
    Set<String> names = new HashSet<>();
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT DISTINCT lower(function_name) FROM duckdb_functions()"
                    + " WHERE function_type IN ('scalar', 'aggregate', 'window', 'macro')")) {
      while (rs.next()) {
        String name = rs.getString(1);
        if (!denied(name)) {
          names.add(name);
        }
      }
    }
    return new FunctionPolicy(names);
  }

  static boolean denied(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (DENIED_NAMES.contains(n)) {
      return true;
    }
    for (String prefix : DENIED_PREFIXES) {
      if (n.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** A function called in an expression (scalar, aggregate, window or macro). */
  public boolean allowsScalar(String name) {
    return allowed.contains(name.toLowerCase(Locale.ROOT));
  }

  /** A function in FROM. */
  public boolean allowsTable(String name) {
    return TABLE_FUNCTIONS.contains(name.toLowerCase(Locale.ROOT));
  }
}
