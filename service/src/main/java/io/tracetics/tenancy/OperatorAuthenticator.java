package io.tracetics.tenancy;

import io.dropwizard.auth.Authenticator;
import java.util.Optional;

/** {@code Authorization: Bearer <operator token>}, compared in constant time. */
public class OperatorAuthenticator implements Authenticator<String, OperatorPrincipal> {
  private final byte[] operatorTokenHash;

  public OperatorAuthenticator(String operatorToken) {
    if (operatorToken == null || operatorToken.length() < 16) {
      throw new IllegalArgumentException("The operator token must be at least 16 characters");
    }
    this.operatorTokenHash = Secrets.hash(operatorToken);
  }

  @Override
  public Optional<OperatorPrincipal> authenticate(String token) {
    return Secrets.constantTimeEquals(Secrets.hash(token), operatorTokenHash)
        ? Optional.of(new OperatorPrincipal())
        : Optional.empty();
  }
}
