package io.tracetics.tenancy;

import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.PolymorphicAuthDynamicFeature;
import io.dropwizard.auth.PolymorphicAuthValueFactoryProvider;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API's two bearer-token schemes as Jersey providers: {@code @Auth TenantPrincipal} takes a
 * tenant's management token or one of its API keys, {@code @Auth OperatorPrincipal} the operator
 * token; a missing or wrong token is a 401 in the one error shape ({@link
 * JsonUnauthorizedHandler}). {@link ScopeFeature} then checks what a tenant's credential may do.
 */
public final class ApiAuth {
  private ApiAuth() {}

  /** The providers to register with Jersey. */
  public static List<Object> providers(
      Authenticator<String, TenantPrincipal> tenants,
      Authenticator<String, OperatorPrincipal> operator) {
    AuthFilter<String, TenantPrincipal> tenantFilter =
        new OAuthCredentialAuthFilter.Builder<TenantPrincipal>()
            .setAuthenticator(tenants)
            .setPrefix("Bearer")
            .setRealm("tracetics")
            .setUnauthorizedHandler(
                new JsonUnauthorizedHandler(
                    "A valid management token or API key is required"
                        + " (Authorization: Bearer <token>)"))
            .buildAuthFilter();
    AuthFilter<String, OperatorPrincipal> operatorFilter =
        new OAuthCredentialAuthFilter.Builder<OperatorPrincipal>()
            .setAuthenticator(operator)
            .setPrefix("Bearer")
            .setRealm("tracetics-operator")
            .setUnauthorizedHandler(
                new JsonUnauthorizedHandler(
                    "The operator token is required (Authorization: Bearer <operator token>)"))
            .buildAuthFilter();
    return List.of(
        new PolymorphicAuthDynamicFeature<Principal>(
            Map.of(TenantPrincipal.class, tenantFilter, OperatorPrincipal.class, operatorFilter)),
        new PolymorphicAuthValueFactoryProvider.Binder<Principal>(
            Set.of(TenantPrincipal.class, OperatorPrincipal.class)),
        new ScopeFeature());
  }
}
