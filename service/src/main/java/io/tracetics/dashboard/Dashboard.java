package io.tracetics.dashboard;

import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;

/**
 * The web dashboard, served by the application itself on the API's port: the page at {@code GET /}
 * and its static files (plain ES modules, CSS, SVG; no build step) at {@code /dashboard/*}.
 */
public final class Dashboard {
  public static final String ASSETS_PATH = "/dashboard/";

  private Dashboard() {}

  public static void initialize(Bootstrap<?> bootstrap) {
    bootstrap.addBundle(
        new AssetsBundle(DashboardResource.ASSETS, ASSETS_PATH, "index.html", "dashboard"));
  }

  public static void register(Environment environment) {
    environment.jersey().register(new DashboardResource());
    environment
        .servlets()
        .addFilter("dashboard-headers", new DashboardHeadersFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, ASSETS_PATH + "*");
  }
}
