package io.tracetics.testing;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import io.tracetics.api.OpenApiResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks real responses against the OpenAPI document the service serves ({@link
 * OpenApiResource#DOCUMENT}): the status must be documented for the operation, the media type must
 * be one it lists, and a JSON body must match the documented schema (the validator's OpenAPI 3.0
 * dialect: {@code nullable}, formats asserted).
 *
 * <p>Objects are closed by default: a response field the document does not name fails, so that a
 * new field cannot ship undocumented. Each object schema without {@code additionalProperties} is
 * checked with {@code unevaluatedProperties: false} (written {@code {not: {}}}; it, unlike {@code
 * additionalProperties: false}, sees the properties of every {@code allOf} part). A schema opts out
 * by saying {@code additionalProperties: true} (free-form maps: event properties, traits, metadata)
 * or by giving the type of its values.
 */
public final class OpenApiContract {
  private static final String DOCUMENT_IRI = "https://tracetics.invalid/openapi.json";
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final OpenApiContract INSTANCE = new OpenApiContract();

  private final JsonNode document;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private OpenApiContract() {
    this.document = read();
    JsonNode closed = closeObjects(document);
    // OpenAPI 3.0's dialect (nullable, its formats) with one keyword of JSON Schema 2019-09 for
    // the closed objects; validation only, the document itself stays OpenAPI 3.0.
    Dialect dialect =
        Dialect.builder(Dialects.getOpenApi30())
            .keyword(Dialects.getDraft202012().getKeywords().get(Keywords.UNEVALUATED_PROPERTIES))
            .build();
    this.registry =
        SchemaRegistry.withDialect(
            dialect,
            builder ->
                builder
                    .schemas(Map.of(DOCUMENT_IRI, closed.toString()))
                    .schemaRegistryConfig(
                        SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  /** The contract of the document on the classpath. */
  public static OpenApiContract document() {
    return INSTANCE;
  }

  /**
   * Fails unless {@code response} is what the document says {@code method pathTemplate} answers.
   */
  public static void assertResponse(String method, String pathTemplate, Http.Response response) {
    List<String> problems =
        INSTANCE.problems(
            method,
            pathTemplate,
            response.status(),
            response.header("Content-Type"),
            response.text());
    if (!problems.isEmpty()) {
      String body = response.text();
      throw new AssertionError(
          method.toUpperCase(Locale.ROOT)
              + " "
              + pathTemplate
              + " -> "
              + response.status()
              + " disagrees with the OpenAPI document:\n  "
              + String.join("\n  ", problems)
              + "\nbody: "
              + (body.length() > 2000 ? body.substring(0, 2000) + "..." : body));
    }
  }

  /** Sends {@code request}, asserts its answer matches the document and returns it. */
  public static Http.Response send(String method, String pathTemplate, Http.Request request) {
    Http.Response response = request.send();
    assertResponse(method, pathTemplate, response);
    return response;
  }

  /** Every disagreement between the response and the document; empty when they agree. */
  public List<String> problems(
      String method, String pathTemplate, int status, String contentType, String body) {
    String verb = method.toLowerCase(Locale.ROOT);
    JsonNode operation = document.path("paths").path(pathTemplate).path(verb);
    if (!METHODS.contains(verb) || !operation.isObject()) {
      return List.of("the document has no operation " + verb + " " + pathTemplate);
    }
    String pointer = "/paths/" + escape(pathTemplate) + "/" + verb + "/responses/";
    JsonNode responses = operation.path("responses");
    String key = responseKey(responses, status);
    if (key == null) {
      return List.of("status " + status + " is not documented for this operation");
    }
    pointer += escape(key);
    JsonNode declared = responses.get(key);
    if (declared.has("$ref")) {
      pointer = declared.get("$ref").asString().substring(1);
      declared = document.at(pointer);
    }
    JsonNode content = declared.path("content");
    boolean hasBody = body != null && !body.isEmpty();
    if (!content.isObject() || content.isEmpty()) {
      return hasBody ? List.of("the document says no body, got " + contentType) : List.of();
    }
    String mediaType =
        contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (!content.has(mediaType)) {
      return List.of("media type '" + mediaType + "' is not one of " + content.propertyNames());
    }
    if (!(mediaType.equals("application/json") || mediaType.endsWith("+json"))
        || !content.get(mediaType).has("schema")) {
      return List.of();
    }
    String schemaPointer = pointer + "/content/" + escape(mediaType) + "/schema";
    Schema schema =
        schemas.computeIfAbsent(
            schemaPointer, p -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p)));
    List<String> problems = new ArrayList<>();
    for (Error error : schema.validate(hasBody ? body : "", InputFormat.JSON)) {
      problems.add(error.toString());
    }
    return problems;
  }

  private static String responseKey(JsonNode responses, int status) {
    for (String key : List.of(String.valueOf(status), (status / 100) + "XX", "default")) {
      if (responses.has(key)) {
        return key;
      }
    }
    return null;
  }

  /** A JSON pointer's token: {@code ~} and {@code /} escaped. */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static JsonNode read() {
    try (InputStream in = OpenApiContract.class.getResourceAsStream(OpenApiResource.DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(OpenApiResource.DOCUMENT + " is missing");
      }
      return new YAMLMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A copy of the document whose object schemas are closed (see the class comment). A component
   * that another schema extends through {@code allOf} stays open itself (closing it would refuse
   * the extension's fields) and is closed where it is used directly instead.
   */
  static JsonNode closeObjects(JsonNode source) {
    ObjectNode doc = (ObjectNode) source.deepCopy();
    Set<String> extended = new HashSet<>();
    collectExtended(doc, extended);
    ObjectNode components = (ObjectNode) doc.path("components").path("schemas");
    for (String name : components.propertyNames()) {
      close(components.get(name), extended.contains(name), extended);
    }
    closeSchemasUnder(doc.path("paths"), extended);
    closeSchemasUnder(doc.path("components").path("responses"), extended);
    return doc;
  }

  /** The component names referenced directly by an {@code allOf} entry anywhere. */
  private static void collectExtended(JsonNode node, Set<String> extended) {
    if (node.isObject()) {
      JsonNode allOf = node.get("allOf");
      if (allOf != null && allOf.isArray()) {
        for (JsonNode part : allOf) {
          if (part.has("$ref")) {
            extended.add(componentName(part.get("$ref").asString()));
          }
        }
      }
    }
    for (JsonNode child : node) {
      collectExtended(child, extended);
    }
  }

  /** The {@code schema} of each media type under paths and shared responses. */
  private static void closeSchemasUnder(JsonNode node, Set<String> extended) {
    if (!node.isObject()) {
      if (node.isArray()) {
        node.forEach(child -> closeSchemasUnder(child, extended));
      }
      return;
    }
    ObjectNode object = (ObjectNode) node;
    for (String name : object.propertyNames()) {
      JsonNode child = object.get(name);
      if (name.equals("schema") && child.isObject()) {
        object.set(name, close(child, false, extended));
      } else {
        closeSchemasUnder(child, extended);
      }
    }
  }

  /**
   * Closes {@code schema} and the schemas inside it; {@code open} leaves its own top level open (an
   * {@code allOf} part, or a component that is extended). Returns the schema to use in its place.
   */
  private static JsonNode close(JsonNode schema, boolean open, Set<String> extended) {
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode s = (ObjectNode) schema;
    if (s.has("$ref")) {
      if (!open && extended.contains(componentName(s.get("$ref").asString()))) {
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.putArray("allOf").add(s);
        wrapper.set(Keywords.UNEVALUATED_PROPERTIES, nothing());
        return wrapper;
      }
      return s;
    }
    JsonNode properties = s.get("properties");
    if (properties != null && properties.isObject()) {
      ObjectNode props = (ObjectNode) properties;
      for (String name : props.propertyNames()) {
        props.set(name, close(props.get(name), false, extended));
      }
    }
    if (s.has("items")) {
      s.set("items", close(s.get("items"), false, extended));
    }
    if (s.get("additionalProperties") instanceof ObjectNode values) {
      s.set("additionalProperties", close(values, false, extended));
    }
    for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
      if (s.get(combinator) instanceof ArrayNode parts) {
        boolean partsOpen = combinator.equals("allOf");
        for (int i = 0; i < parts.size(); i++) {
          parts.set(i, close(parts.get(i), partsOpen, extended));
        }
      }
    }
    boolean objectShaped = s.has("properties") || s.has("allOf");
    if (!open
        && objectShaped
        && !s.has("additionalProperties")
        && !s.has(Keywords.UNEVALUATED_PROPERTIES)) {
      s.set(Keywords.UNEVALUATED_PROPERTIES, nothing());
    }
    return s;
  }

  /** The schema no value matches: {@code false}, as OpenAPI 3.0 (draft 4) writes it. */
  private static ObjectNode nothing() {
    ObjectNode nothing = JsonNodeFactory.instance.objectNode();
    nothing.putObject("not");
    return nothing;
  }

  private static String componentName(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  private static final class Keywords {
    static final String UNEVALUATED_PROPERTIES = "unevaluatedProperties";
  }
}
