package io.tracetics.app;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} command, except that a start without configured servers in a build
 * without embedded ones ends with its one-line message instead of a stack trace.
 */
final class TraceticsServerCommand extends ServerCommand<TraceticsConfiguration> {

  TraceticsServerCommand(Application<TraceticsConfiguration> application) {
    super(application);
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (!ServersNotConfiguredException.printBriefly(cli, e)) {
      super.onError(cli, namespace, e);
    }
  }
}
