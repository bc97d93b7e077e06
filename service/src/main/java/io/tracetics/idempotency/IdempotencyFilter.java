package io.tracetics.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetics.errors.ApiError;
import io.tracetics.tenancy.TenantPrincipal;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.Principal;

/**
 * {@code Idempotency-Key} on the POSTs marked {@link Idempotent}, after authentication: the first
 * request with a key runs and its answer is kept (status, body, Location); a retry with the same
 * key, credential, endpoint and body gets that answer back with {@code Idempotent-Replayed: true};
 * the same key with another body is 422 {@code idempotency_key_reused}; a retry while the first is
 * still running is 409 {@code idempotency_in_progress} with Retry-After (it does not wait). Without
 * the header nothing changes.
 */
@Idempotent
@Priority(Priorities.USER)
public class IdempotencyFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private static final String PROPERTY = IdempotencyFilter.class.getName();

  private final IdempotencyStore store;
  private final ObjectMapper mapper;

  public IdempotencyFilter(IdempotencyStore store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  private record Running(IdempotencyStore.Call call, long id) {}

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    String key = request.getHeaderString(IdempotencyRules.HEADER);
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (key == null || authorization == null) {
      return;
    }
    var problem = IdempotencyRules.keyProblem(key);
    if (problem.isPresent()) {
      request.abortWith(ApiError.response(400, "invalid_idempotency_key", problem.get()));
      return;
    }
    byte[] body = request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0];
    request.setEntityStream(new ByteArrayInputStream(body));
    Principal principal =
        request.getSecurityContext() == null
            ? null
            : request.getSecurityContext().getUserPrincipal();
    IdempotencyStore.Call call =
        new IdempotencyStore.Call(
            principal instanceof TenantPrincipal tenant ? tenant.tenantId() : null,
            authorization,
            request.getMethod() + " /" + stripSlash(request.getUriInfo().getPath()),
            key);
    IdempotencyStore.Begin begin = store.begin(call, IdempotencyRules.fingerprint(body));
    if (begin instanceof IdempotencyStore.Run run) {
      request.setProperty(PROPERTY, new Running(call, run.id()));
    } else if (begin instanceof IdempotencyStore.Replay replay) {
      request.abortWith(replayed(replay));
    } else if (begin instanceof IdempotencyStore.Refuse refuse) {
      request.abortWith(refused(refuse.outcome()));
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!(request.getProperty(PROPERTY) instanceof Running running)) {
      return;
    }
    request.removeProperty(PROPERTY);
    URI location = response.getLocation();
    store.finish(
        running.call(),
        running.id(),
        response.getStatus(),
        body(response.getEntity()),
        location == null ? null : location.toString());
  }

  private String body(Object entity) {
    if (entity == null) {
      return null;
    }
    if (entity instanceof String text) {
      return text;
    }
    try {
      return mapper.writeValueAsString(entity);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response replayed(IdempotencyStore.Replay replay) {
    Response.ResponseBuilder answer =
        Response.status(replay.status()).header(IdempotencyRules.REPLAYED_HEADER, "true");
    if (replay.body() != null) {
      answer.type(MediaType.APPLICATION_JSON_TYPE).entity(replay.body());
    }
    if (replay.location() != null) {
      answer.header(HttpHeaders.LOCATION, replay.location());
    }
    return answer.build();
  }

  private static Response refused(IdempotencyRules.Outcome outcome) {
    if (outcome == IdempotencyRules.Outcome.REUSED) {
      return ApiError.response(
          422,
          "idempotency_key_reused",
          "This Idempotency-Key was used for a different request body on this endpoint within"
              + " 24 hours; use a new key for a new request");
    }
    return Response.fromResponse(
            ApiError.response(
                409,
                "idempotency_in_progress",
                "A request with this Idempotency-Key is still running; retry after the"
                    + " Retry-After seconds to get its answer"))
        .header("Retry-After", 1)
        .build();
  }

  private static String stripSlash(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }
}
