package io.tracetics.engine.explore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a tenant's query may run, before DuckDB prepares it (preparing a string already
 * runs every statement but the last).
 *
 * <ol>
 *   <li>Text: not blank, not longer than the limit.
 *   <li>DuckDB's own parser, through {@code json_serialize_sql}: exactly one statement, and a
 *       SELECT (anything else serialises as an error).
 *   <li>The syntax tree, walked completely: every table reference is the unqualified name {@code
 *       events}, {@code persons} or {@code cohort_members} or a CTE of the query that is in scope
 *       where it is used (so no other name can resolve to a catalog table or view); table functions
 *       only from {@link FunctionPolicy#TABLE_FUNCTIONS}; every other function on {@link
 *       FunctionPolicy}'s allow-list and unqualified; no DESCRIBE/SHOW/SUMMARIZE, no time travel,
 *       no unknown node kinds.
 * </ol>
 *
 * The walk fails closed: a table reference or query node of a kind it does not know is refused.
 */
public final class SqlGuard {
  /** The relations a query may read: the app's events, its persons and its cohorts' members. */
  public static final String EVENTS = "events";

  public static final String PERSONS = "persons";

  public static final String COHORT_MEMBERS = "cohort_members";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> QUERY_NODES =
      Set.of("SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE");
  private static final Set<String> PLAIN_TABLE_REFS =
      Set.of("SUBQUERY", "JOIN", "EMPTY", "EXPRESSION_LIST", "PIVOT");

  private final FunctionPolicy functions;
  private final int maxQueryLength;

  public SqlGuard(FunctionPolicy functions, int maxQueryLength) {
    this.functions = Objects.requireNonNull(functions, "functions");
    this.maxQueryLength = maxQueryLength;
  }

  /**
   * Checks {@code query}, using {@code connection} only to parse it ({@code json_serialize_sql}
   * parses, it never binds or runs). Throws {@link ExploreException} when it may not run.
   */
  public void check(Connection connection, String query) throws SQLException {
    checkText(query);
    check(parse(connection, query));
  }

  void checkText(String query) {
    if (query == null || query.isBlank()) {
      throw ExploreException.notAllowed("The query is empty; send one SELECT statement.");
    }
    if (query.length() > maxQueryLength) {
      throw new ExploreException(
          ExploreException.Kind.TOO_LONG,
          "The query is "
              + query.length()
              + " characters long; the limit is "
              + maxQueryLength
              + ".");
    }
  }

  static JsonNode parse(Connection connection, String query) throws SQLException {
    String serialized;
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT json_serialize_sql(CAST(? AS VARCHAR))")) {
      ps.setString(1, query);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        serialized = rs.getString(1);
      }
    }
    try {
      return JSON.readTree(serialized);
    } catch (JsonProcessingException e) {
      // Jackson refuses documents nested deeper than its limit: so deep a query is refused too.
      throw ExploreException.notAllowed("The query is nested too deeply to be checked.");
    }
  }

  /** Checks the output of {@code json_serialize_sql}. */
  void check(JsonNode tree) {
    if (tree.path("error").asBoolean(true)) {
      String type = tree.path("error_type").asText("");
      String message = tree.path("error_message").asText("");
      if (type.equals("parser")) {
        throw new ExploreException(ExploreException.Kind.SYNTAX_ERROR, "Parser Error: " + message);
      }
      throw ExploreException.notAllowed(
          "Only one read-only SELECT statement is allowed"
              + " (no DDL, DML, COPY, EXPORT, ATTACH, SET, PRAGMA, INSTALL or LOAD).");
    }
    JsonNode statements = tree.path("statements");
    if (statements.size() != 1) {
      throw ExploreException.notAllowed(
          "Exactly one statement is allowed; this text holds " + statements.size() + ".");
    }
    JsonNode node = statements.get(0).path("node");
    if (!QUERY_NODES.contains(node.path("type").asText())) {
      throw ExploreException.notAllowed("Only a SELECT statement is allowed.");
    }
    walk(node, Scope.ROOT);
  }

  /** CTE names visible at a point of the query. */
  private record Scope(Set<String> names) {
    static final Scope ROOT = new Scope(Set.of());

    Scope with(String name) {
      Set<String> more = new HashSet<>(names);
      more.add(lower(name));
      return new Scope(Set.copyOf(more));
    }

    boolean has(String name) {
      return names.contains(lower(name));
    }
  }

  private void walk(JsonNode node, Scope scope) {
    if (node == null || node.isNull() || node.isValueNode()) {
      return;
    }
    if (node.isArray()) {
      for (JsonNode child : node) {
        walk(child, scope);
      }
      return;
    }
    if (node.has("cte_map") && node.has("modifiers")) {
      queryNode(node, scope);
    } else if (node.has("class")) {
      expression(node, scope);
    } else if (node.has("sample") && node.has("alias") && node.has("type")) {
      tableRef(node, scope);
    } else {
      if (node.has("table_name") || node.has("function_name")) {
        throw ExploreException.notAllowed("This construct is not allowed in exploration queries.");
      }
      walkFields(node, scope, Set.of());
    }
  }

  private void walkFields(JsonNode node, Scope scope, Set<String> skip) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!skip.contains(field.getKey())) {
        walk(field.getValue(), scope);
      }
    }
  }

  private void queryNode(JsonNode node, Scope outer) {
    String type = node.path("type").asText();
    if (!QUERY_NODES.contains(type)) {
      throw ExploreException.notAllowed("Query part " + type + " is not allowed.");
    }
    // CTEs in order: each sees the ones before it (and itself only as a real recursive CTE).
    Scope scope = outer;
    for (JsonNode entry : node.path("cte_map").path("map")) {
      String name = entry.path("key").asText();
      JsonNode cte = entry.path("value");
      JsonNode body = cte.path("query_node");
      if (!QUERY_NODES.contains(body.path("type").asText())) {
        throw ExploreException.notAllowed("CTE " + name + " has a body that is not allowed.");
      }
      if (body.path("type").asText().equals("RECURSIVE_CTE_NODE")
          && lower(body.path("cte_name").asText()).equals(lower(name))) {
        recursiveNode(body, scope, name);
      } else {
        walk(body, scope);
      }
      walkFields(cte, scope, Set.of("query_node"));
      scope = scope.with(name);
    }
    if (type.equals("RECURSIVE_CTE_NODE")) {
      // Reached without its CTE entry: its own name resolves to nothing we allow.
      recursiveNode(node, scope, null);
      return;
    }
    walkFields(node, scope, Set.of("cte_map"));
  }

  /** A recursive CTE body: only its recursive part ({@code right}) may name the CTE itself. */
  private void recursiveNode(JsonNode node, Scope scope, String self) {
    if (node.path("cte_map").path("map").size() > 0) {
      throw ExploreException.notAllowed("A WITH clause inside a recursive CTE is not allowed.");
    }
    walk(node.path("left"), scope);
    walk(node.path("right"), self == null ? scope : scope.with(self));
    walkFields(node, scope, Set.of("cte_map", "left", "right"));
  }

  private void expression(JsonNode node, Scope scope) {
    if (node.has("function_name")) {
      String name = node.path("function_name").asText();
      requireUnqualified(node.path("schema"), node.path("catalog"), "function " + name);
      if (!functions.allowsScalar(name)) {
        throw ExploreException.notAllowed(
            "Function " + name + " is not allowed in exploration queries.");
      }
    }
    walkFields(node, scope, Set.of());
  }

  private void tableRef(JsonNode node, Scope scope) {
    String type = node.path("type").asText();
    switch (type) {
      case "BASE_TABLE" -> baseTable(node, scope);
      case "TABLE_FUNCTION" -> {
        JsonNode function = node.path("function");
        String name = function.path("function_name").asText();
        requireUnqualified(function.path("schema"), function.path("catalog"), "function " + name);
        if (!functions.allowsTable(name)) {
          throw ExploreException.notAllowed(
              "Table function "
                  + name
                  + " is not allowed; only "
                  + String.join(", ", FunctionPolicy.TABLE_FUNCTIONS.stream().sorted().toList())
                  + " may appear in FROM.");
        }
        walkFields(function, scope, Set.of());
        walkFields(node, scope, Set.of("function"));
      }
      default -> {
        if (!PLAIN_TABLE_REFS.contains(type)) {
          throw ExploreException.notAllowed(
              type.equals("SHOW_REF")
                  ? "DESCRIBE, SHOW and SUMMARIZE are not allowed; select from events instead."
                  : "Table reference " + type + " is not allowed.");
        }
        walkFields(node, scope, Set.of());
      }
    }
  }

  private void baseTable(JsonNode node, Scope scope) {
    String name = node.path("table_name").asText();
    requireUnqualified(node.path("schema_name"), node.path("catalog_name"), name);
    JsonNode path = node.path("qualified_name").path("path");
    if (path.size() > 1) {
      throw ExploreException.notAllowed(
          "Qualified names are not allowed; use the unqualified relation events.");
    }
    if (!node.path("at_clause").isNull() && !node.path("at_clause").isMissingNode()) {
      throw ExploreException.notAllowed("AT (time travel) is not allowed.");
    }
    String relation = lower(name);
    if (!relation.equals(EVENTS)
        && !relation.equals(PERSONS)
        && !relation.equals(COHORT_MEMBERS)
        && !scope.has(name)) {
      throw ExploreException.notAllowed(
          "Relation "
              + name
              + " is not available: a query may read only events, persons, cohort_members and its"
              + " own CTEs.");
    }
    walkFields(node, scope, Set.of());
  }

  private static void requireUnqualified(JsonNode schema, JsonNode catalog, String what) {
    if (!schema.asText("").isEmpty() || !catalog.asText("").isEmpty()) {
      throw ExploreException.notAllowed(
          "Qualified names are not allowed (" + what + "); use the unqualified relation events.");
    }
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
