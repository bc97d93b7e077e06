package io.tracetics.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;

/**
 * A request body that is not valid JSON, or JSON of the wrong shape, is the client's fault: 400
 * with the field path, never Jackson's internal class names.
 */
@Provider
public class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {

  @Override
  public Response toResponse(JsonProcessingException e) {
    return new ApiError(400, errorKey(e), describe(e)).toResponse();
  }

  static String errorKey(JsonProcessingException e) {
    return e instanceof JsonParseException ? "malformed_json" : "invalid_json_shape";
  }

  static String describe(JsonProcessingException e) {
    if (e instanceof JsonParseException parse) {
      var location = parse.getLocation();
      return location == null
          ? "Request body is not valid JSON"
          : "Request body is not valid JSON (line "
              + location.getLineNr()
              + ", column "
              + location.getColumnNr()
              + ")";
    }
    if (e instanceof JsonMappingException mapping) {
      String path = path(mapping);
      if (mapping instanceof UnrecognizedPropertyException unknown) {
        return "Unknown field '" + unknown.getPropertyName() + "'";
      }
      if (mapping instanceof InvalidFormatException invalid) {
        return (path.isEmpty() ? "A value" : "Field '" + path + "'")
            + " has an invalid value"
            + (invalid.getTargetType() == null ? "" : " (expected " + typeName(invalid) + ")");
      }
      if (mapping instanceof MismatchedInputException mismatched) {
        if (path.isEmpty()) {
          return "Request body has the wrong shape"
              + (mismatched.getTargetType() == null
                  ? ""
                  : " (expected " + typeName(mismatched) + ")");
        }
        return "Field '"
            + path
            + "' has the wrong type"
            + (mismatched.getTargetType() == null
                ? ""
                : " (expected " + typeName(mismatched) + ")");
      }
      if (!path.isEmpty()) {
        return "Field '" + path + "' is invalid";
      }
    }
    return "Request body could not be read as JSON of the expected shape";
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String typeName(MismatchedInputException e) {
    Class<?> type = e.getTargetType();
    if (type == null) {
      return "value";
    }
    if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
      return "a string";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }
}
