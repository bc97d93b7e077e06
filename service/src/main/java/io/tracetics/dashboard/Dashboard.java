package io.tracetics.dashboard;

import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Properties;

/**
 * The web dashboard, served by the application itself on the API's port: the page at {@code GET /}
 * and its static files (plain ES modules, CSS, SVG; no build step) at {@code /dashboard/*}, with
 * uPlot (time-series charts) from its WebJar at {@code /dashboard/vendor/uplot/}.
 */
public final class Dashboard {
  public static final String ASSETS_PATH = "/dashboard/";
  public static final String UPLOT_PATH = ASSETS_PATH + "vendor/uplot/";
  private static final String UPLOT_WEBJAR = "META-INF/resources/webjars/uplot/";

  private Dashboard() {}

  public static void initialize(Bootstrap<?> bootstrap) {
    bootstrap.addBundle(
        new AssetsBundle(DashboardResource.ASSETS, ASSETS_PATH, "index.html", "dashboard"));
    // The longer path wins over /dashboard/*; no index file: a directory is a 404.
    bootstrap.addBundle(
        new AssetsBundle(
            "/" + UPLOT_WEBJAR + uplotVersion() + "/dist", UPLOT_PATH, null, "dashboard-uplot"));
  }

  /** The version of the uPlot WebJar on the classpath (the pom names it once). */
  static String uplotVersion() {
    String properties = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
    try (InputStream in = Dashboard.class.getResourceAsStream(properties)) {
      if (in == null) {
        throw new IllegalStateException(
            properties + " is missing: the uPlot WebJar is not on the classpath");
      }
      Properties read = new Properties();
      read.load(in);
      return read.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void register(Environment environment) {
    environment.jersey().register(new DashboardResource());
    environment
        .servlets()
        .addFilter("dashboard-headers", new DashboardHeadersFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, ASSETS_PATH + "*");
  }
}
