package io.tracetics.cli;

import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.AppRow;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.TenancyApi.AppResponse;
import java.io.PrintStream;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code apps create --tenant ID --name N | list --tenant ID}: a tenant's tracked apps, created
 * under the same plan limits as {@code POST /api/v1/apps}, for an operator's scripts.
 */
public class AppsCommand extends OperatorCommand {

  public AppsCommand() {
    super("apps", "Create or list a tenant's tracked apps");
  }

  @Override
  protected void addArguments(Subparser subparser) {
    subparser.addArgument("action").choices("create", "list").help("create an app, or list them");
    subparser
        .addArgument("--tenant")
        .dest("tenant")
        .type(Long.class)
        .required(true)
        .help("tenant id");
    subparser.addArgument("--name").dest("name").help("create: the app's name");
  }

  @Override
  protected void run(Namespace ns, Services services, PrintStream out) throws Exception {
    TenantId tenant = TenantId.of(ns.getLong("tenant"));
    AppService apps = services.apps();
    services.tenants().get(tenant); // an unknown tenant is an error, not an empty list
    if ("create".equals(ns.getString("action"))) {
      String name = TenantsCommand.required(ns, "name", "create");
      AppService.CreatedApp created = apps.create(tenant, name.strip());
      if (json(ns)) {
        printJson(out, AppResponse.of(created.app(), created.appKey()));
        return;
      }
      out.printf(
          "Created app %d \"%s\" for tenant %d%n",
          created.app().id().value(), created.app().name(), tenant.value());
      out.println("app key  " + created.appKey());
      return;
    }
    List<AppRow> rows = apps.list(tenant);
    if (json(ns)) {
      printJson(out, rows.stream().map(row -> AppResponse.of(row, null)).toList());
      return;
    }
    Table table = new Table("ID", "NAME", "CREATED");
    for (AppRow row : rows) {
      table.row(Long.toString(row.id().value()), row.name(), String.valueOf(row.createdAt()));
    }
    table.print(out);
  }
}
