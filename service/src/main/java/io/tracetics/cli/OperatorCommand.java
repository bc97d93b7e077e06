package io.tracetics.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jackson.Jackson;
import io.tracetics.app.Plans;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.db.JdbiSetup;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.CredentialStore;
import io.tracetics.tenancy.PlanCatalog;
import io.tracetics.tenancy.TenantService;
import java.io.PrintStream;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.LoggerFactory;

/**
 * A command an operator scripts (tenants, apps): it works on the database with the same services
 * and rules as the API's operator calls, prints its result on stdout (as JSON with {@code --json})
 * and only warnings in the log.
 */
public abstract class OperatorCommand extends DatabaseCommand {
  /** The services a command works with, built from the configuration. */
  protected record Services(TenantService tenants, AppService apps, PlanCatalog plans) {}

  protected OperatorCommand(String name, String description) {
    super(name, description);
  }

  /**
   * Declares the command's own arguments. Its positional arguments come before the configuration
   * file's, which is optional and last ({@code tenants list config.yml}).
   */
  protected abstract void addArguments(Subparser subparser);

  @Override
  public final void configure(Subparser subparser) {
    addArguments(subparser);
    super.configure(subparser);
    subparser
        .addArgument("--json")
        .dest("json")
        .action(Arguments.storeTrue())
        .help("print the result as JSON (the API's shapes)");
  }

  @Override
  protected final void run(
      TraceticsConfiguration configuration, DataSourceFactory database, MigrateResult migrated)
      throws Exception {
    Jdbi jdbi =
        JdbiSetup.configure(
            Jdbi.create(database.getUrl(), database.getUser(), database.getPassword()));
    jdbi.installPlugin(new SqlObjectPlugin());
    PlanCatalog plans = Plans.load(configuration, jdbi);
    CredentialStore credentials = new CredentialStore(jdbi, configuration.getTenancy());
    Services services =
        new Services(
            new TenantService(jdbi, credentials, plans), new AppService(jdbi, credentials), plans);
    run(namespace(), services, System.out);
  }

  /** Runs the command; a refused request becomes its one-line error (see {@code onError}). */
  protected abstract void run(Namespace namespace, Services services, PrintStream out)
      throws Exception;

  protected static boolean json(Namespace namespace) {
    return Boolean.TRUE.equals(namespace.getBoolean("json"));
  }

  protected static void printJson(PrintStream out, Object value) throws Exception {
    out.println(JSON.writeValueAsString(value));
  }

  private static final ObjectMapper JSON =
      Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** The result is the output: the service's start-up messages would only clutter it. */
  @Override
  protected void beforeStart() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      for (ch.qos.logback.classic.Logger logger : context.getLoggerList()) {
        if (logger.getLevel() != null && !logger.getLevel().isGreaterOrEqual(Level.WARN)) {
          logger.setLevel(Level.WARN);
        }
      }
    }
  }
}
