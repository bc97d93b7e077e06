package io.tracetics.tenancy;

import java.security.Principal;

/** A request made with the operator token from the configuration. */
public record OperatorPrincipal() implements Principal {
  @Override
  public String getName() {
    return "operator";
  }
}
