package io.tracetics.tenancy;

import io.dropwizard.auth.Authenticator;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <management token or API key>} -> the tenant it belongs to and what
 * the credential may do. The two kinds are told apart by their prefixes.
 */
public class TenantAuthenticator implements Authenticator<String, TenantPrincipal> {
  private final CredentialStore credentials;
  private final ApiKeyGrants apiKeys;

  public TenantAuthenticator(CredentialStore credentials, ApiKeyGrants apiKeys) {
    this.credentials = credentials;
    this.apiKeys = apiKeys;
  }

  @Override
  public Optional<TenantPrincipal> authenticate(String token) {
    if (token != null && token.startsWith(CredentialKind.API_KEY.prefix())) {
      return credentials
          .resolve(token, CredentialKind.API_KEY)
          .flatMap(
              row ->
                  apiKeys.use(row.id()).map(access -> new TenantPrincipal(row.tenantId(), access)));
    }
    return credentials
        .resolve(token, CredentialKind.MANAGEMENT_TOKEN)
        .map(row -> new TenantPrincipal(row.tenantId()));
  }
}
