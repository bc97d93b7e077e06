package io.tracetics.tenancy;

import io.dropwizard.auth.Authenticator;
import java.util.Optional;

/** {@code Authorization: Bearer <management token>} -> the tenant it belongs to. */
public class ManagementTokenAuthenticator implements Authenticator<String, TenantPrincipal> {
  private final CredentialStore credentials;

  public ManagementTokenAuthenticator(CredentialStore credentials) {
    this.credentials = credentials;
  }

  @Override
  public Optional<TenantPrincipal> authenticate(String token) {
    return credentials
        .resolve(token, CredentialKind.MANAGEMENT_TOKEN)
        .map(row -> new TenantPrincipal(row.tenantId()));
  }
}
