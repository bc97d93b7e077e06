package io.tracetics.engine.query;

import java.util.List;
import java.util.stream.Collectors;

/** A funnel query that failed validation; carries every violation. */
public class InvalidFunnelException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Violation> violations;

  public InvalidFunnelException(List<Violation> violations) {
    super(
        violations.stream()
            .map(v -> v.code() + " at " + v.field() + ": " + v.message())
            .collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
