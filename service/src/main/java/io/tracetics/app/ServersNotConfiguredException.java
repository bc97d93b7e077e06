package io.tracetics.app;

import io.dropwizard.core.cli.Cli;

/**
 * A command needs MariaDB or Redis, none is configured, and this build has no embedded ones (the
 * distribution). Its message says which variables to set; commands print only that one line.
 */
public final class ServersNotConfiguredException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  ServersNotConfiguredException(String message) {
    super(message);
  }

  /**
   * Prints the message alone to the command line's error stream when {@code error} is or was caused
   * by this exception; false (nothing printed) otherwise.
   */
  public static boolean printBriefly(Cli cli, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ServersNotConfiguredException) {
        cli.getStdErr().println(t.getMessage());
        cli.getStdErr().flush();
        return true;
      }
    }
    return false;
  }
}
