package io.tracetics.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.tracetics.app.StrictJson;
import io.tracetics.errors.ErrorMappers;
import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.ApiAuth;
import io.tracetics.tenancy.OperatorAuthenticator;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;

/**
 * Resources under test without the application: a {@link ResourceExtension} with the API's JSON
 * mapper, its error mappers (Dropwizard's default mappers off, as in the application) and its two
 * bearer-token schemes, where {@link #TENANT_TOKEN} is {@link #TENANT}'s management token and
 * {@link #OPERATOR_TOKEN} the operator token. The services behind the resources are the test's
 * stubs.
 */
public final class ApiResources {
  public static final String OPERATOR_TOKEN = "operator-token-for-resource-tests";
  public static final String TENANT_TOKEN = "tenant-token-for-resource-tests";
  public static final TenantId TENANT = TenantId.of(7);

  private ApiResources() {}

  /** A builder with the resources, the error mappers and authentication; add more, then build. */
  public static ResourceExtension.Builder builder(Object... resources) {
    ObjectMapper mapper = Jackson.newObjectMapper();
    StrictJson.configure(mapper);
    ResourceExtension.Builder builder =
        ResourceExtension.builder().setMapper(mapper).setRegisterDefaultExceptionMappers(false);
    for (Object resource : resources) {
      builder.addResource(resource);
    }
    ErrorMappers.all().forEach(builder::addProvider);
    ApiAuth.providers(
            token ->
                token.equals(TENANT_TOKEN)
                    ? Optional.of(new TenantPrincipal(TENANT))
                    : Optional.empty(),
            new OperatorAuthenticator(OPERATOR_TOKEN))
        .forEach(builder::addProvider);
    return builder;
  }

  /**
   * A request to {@code pathAndQuery} ({@code /path?name=value&...}, values not encoded) accepting
   * JSON, with {@code Authorization: Bearer <token>} unless the token is null.
   */
  public static Invocation.Builder request(
      ResourceExtension resources, String pathAndQuery, String token) {
    return request(resources, pathAndQuery, token, MediaType.APPLICATION_JSON);
  }

  /** The same, accepting the given media types, in order, instead of JSON. */
  public static Invocation.Builder request(
      ResourceExtension resources, String pathAndQuery, String token, String... accept) {
    String[] parts = pathAndQuery.split("\\?", 2);
    WebTarget target = resources.target(parts[0]);
    if (parts.length > 1) {
      for (String pair : parts[1].split("&")) {
        String[] nameValue = pair.split("=", 2);
        target = target.queryParam(nameValue[0], nameValue[1]);
      }
    }
    Invocation.Builder request = target.request(accept);
    return token == null ? request : request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
  }

  /** A JSON object answer as a map (numbers as Integer, Long or Double, as Jackson reads them). */
  public static Map<String, Object> body(Response response) {
    return response.readEntity(new GenericType<Map<String, Object>>() {});
  }
}
