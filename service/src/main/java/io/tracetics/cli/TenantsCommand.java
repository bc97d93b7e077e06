package io.tracetics.cli;

import io.tracetics.ids.TenantId;
import io.tracetics.tenancy.PlanRow;
import io.tracetics.tenancy.TenancyApi.PlanResponse;
import io.tracetics.tenancy.TenancyApi.TenantCreatedResponse;
import io.tracetics.tenancy.TenancyApi.TenantResponse;
import io.tracetics.tenancy.TenantRow;
import io.tracetics.tenancy.TenantService;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code tenants list | create --name N [--plan P] | set-plan --tenant ID --plan P | plans}: the
 * operator's tenant calls ({@code GET|POST /api/v1/tenants}, {@code PATCH /api/v1/tenants/{id}})
 * without curl.
 */
public class TenantsCommand extends OperatorCommand {
  private static final int PAGE = 1000;

  public TenantsCommand() {
    super("tenants", "List and create tenants, list plans, and set a tenant's plan");
  }

  @Override
  protected void addArguments(Subparser subparser) {
    subparser
        .addArgument("action")
        .choices("list", "create", "set-plan", "plans")
        .help("list tenants, create one, set one's plan, or list the plans");
    subparser.addArgument("--name").dest("name").help("create: the tenant's name");
    subparser
        .addArgument("--plan")
        .dest("plan")
        .help("create: its plan (default tenancy.defaultPlan); set-plan: the new plan");
    subparser.addArgument("--tenant").dest("tenant").type(Long.class).help("set-plan: tenant id");
  }

  @Override
  protected void run(Namespace ns, Services services, PrintStream out) throws Exception {
    TenantService tenants = services.tenants();
    switch (ns.getString("action")) {
      case "list" -> list(ns, tenants, out);
      case "create" -> create(ns, tenants, out);
      case "set-plan" -> setPlan(ns, tenants, out);
      case "plans" -> plans(ns, services, out);
      default -> throw new IllegalArgumentException("unknown action " + ns.getString("action"));
    }
  }

  private static void list(Namespace ns, TenantService tenants, PrintStream out) throws Exception {
    List<TenantRow> all = new ArrayList<>();
    long after = 0;
    List<TenantRow> page;
    do {
      page = tenants.list(after, PAGE);
      all.addAll(page);
      after = page.isEmpty() ? after : page.get(page.size() - 1).id().value();
    } while (page.size() == PAGE);
    if (json(ns)) {
      printJson(out, all.stream().map(TenantResponse::of).toList());
      return;
    }
    Table table = new Table("ID", "NAME", "PLAN", "CREATED");
    for (TenantRow row : all) {
      table.row(
          Long.toString(row.id().value()),
          row.name(),
          row.plan().code(),
          String.valueOf(row.createdAt()));
    }
    table.print(out);
  }

  private static void create(Namespace ns, TenantService tenants, PrintStream out)
      throws Exception {
    String name = required(ns, "name", "create");
    TenantService.CreatedTenant created = tenants.create(name.strip(), ns.getString("plan"));
    TenantRow row = created.tenant();
    if (json(ns)) {
      printJson(
          out,
          new TenantCreatedResponse(
              row.id().value(),
              row.name(),
              created.tenantKey(),
              created.managementToken(),
              row.plan().code()));
      return;
    }
    out.printf(
        "Created tenant %d \"%s\" on plan %s (%s)%n",
        row.id().value(), row.name(), row.plan().code(), row.plan().describeLimits());
    out.println("tenant key        " + created.tenantKey());
    out.println("management token  " + created.managementToken());
    out.println("Shown once: keep them (only their hashes are stored).");
  }

  private static void setPlan(Namespace ns, TenantService tenants, PrintStream out)
      throws Exception {
    Long id = ns.getLong("tenant");
    if (id == null) {
      throw new IllegalArgumentException("set-plan needs --tenant <id>");
    }
    String plan = required(ns, "plan", "set-plan");
    TenantRow row = tenants.setPlan(TenantId.of(id), plan.strip());
    if (json(ns)) {
      printJson(out, TenantResponse.of(row));
      return;
    }
    out.printf(
        "Tenant %d \"%s\" is on plan %s (%s)%n",
        row.id().value(), row.name(), row.plan().code(), row.plan().describeLimits());
  }

  private static void plans(Namespace ns, Services services, PrintStream out) throws Exception {
    List<PlanRow> plans = services.plans().plans();
    if (json(ns)) {
      printJson(out, plans.stream().map(PlanResponse::of).toList());
      return;
    }
    Table table = new Table("PLAN", "NAME", "LIMITS", "");
    for (PlanRow plan : plans) {
      table.row(
          plan.code(),
          plan.name(),
          plan.describeLimits(),
          plan.code().equals(services.plans().defaultPlan()) ? "(new tenants)" : "");
    }
    table.print(out);
    if (services.plans().managedByStripe()) {
      out.println("Billing is on: Stripe subscriptions set tenants' plans.");
    }
  }

  static String required(Namespace ns, String option, String action) {
    String value = ns.getString(option);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(action + " needs --" + option);
    }
    return value;
  }
}
