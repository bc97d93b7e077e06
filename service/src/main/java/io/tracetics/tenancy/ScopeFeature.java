package io.tracetics.tenancy;

import io.dropwizard.auth.Auth;
import io.tracetics.errors.ApiException;
import io.tracetics.ids.AppId;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.Optional;

/**
 * Enforces what tenant credentials may do: each resource method that takes a {@link
 * TenantPrincipal} declares the scope it needs ({@link RequiresScope}) or that any credential may
 * call it ({@link AnyScope}), and a method that declares neither stops the application at start.
 * The check runs after authentication; an {@code app_id} in the path must be one of a key's apps
 * (else it is answered as an unknown app).
 */
public final class ScopeFeature implements DynamicFeature {

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    Method method = resourceInfo.getResourceMethod();
    if (!takesTenant(method)) {
      return;
    }
    context.register(new ScopeFilter(requiredScope(method)));
  }

  /**
   * The scope a method needs (empty: any), or an {@link IllegalStateException} when it declares
   * none.
   */
  public static Optional<Scope> requiredScope(Method method) {
    RequiresScope required = method.getAnnotation(RequiresScope.class);
    if (required != null) {
      return Optional.of(required.value());
    }
    if (method.isAnnotationPresent(AnyScope.class)) {
      return Optional.empty();
    }
    throw new IllegalStateException(
        method.getDeclaringClass().getName()
            + "."
            + method.getName()
            + " takes a tenant principal but declares no scope (@RequiresScope or @AnyScope)");
  }

  public static boolean takesTenant(Method method) {
    for (Parameter parameter : method.getParameters()) {
      if (parameter.getType() == TenantPrincipal.class && hasAuth(parameter)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasAuth(Parameter parameter) {
    for (Annotation annotation : parameter.getAnnotations()) {
      if (annotation.annotationType() == Auth.class) {
        return true;
      }
    }
    return false;
  }

  @Priority(Priorities.AUTHORIZATION)
  private static final class ScopeFilter implements ContainerRequestFilter {
    private final Optional<Scope> required;

    ScopeFilter(Optional<Scope> required) {
      this.required = required;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      if (!(request.getSecurityContext().getUserPrincipal() instanceof TenantPrincipal tenant)) {
        return;
      }
      String appText = request.getUriInfo().getPathParameters().getFirst("app_id");
      Optional<AppId> app =
          appText == null ? Optional.empty() : Optional.of(AppId.valueOf(appText));
      switch (tenant.access().check(required, app)) {
        case ALLOWED -> {}
        case APP_NOT_VISIBLE -> throw ApiException.notFound("App", app.get());
        case INSUFFICIENT_SCOPE ->
            throw new ApiException(
                403,
                "insufficient_scope",
                "This API key lacks the scope " + required.get().apiName(),
                Map.of("required_scope", required.get().apiName()));
        case NEEDS_ALL_APPS ->
            throw new ApiException(
                403,
                "insufficient_scope",
                "This call needs an API key with the scope admin for every app",
                Map.of("required_scope", Scope.ADMIN.apiName()));
      }
    }
  }
}
