package io.tracetics.api;

import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.tracetics.dashboard.DashboardHeadersFilter;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Properties;

/**
 * The browsable API reference at {@code /api/docs}: Swagger UI, from its WebJar on the classpath
 * (under {@code /api/docs/swagger-ui/}), on the document of {@link OpenApiResource}. The page and
 * its initializer are this service's own files (under {@code /api/docs/assets/}), with their own
 * Content-Security-Policy ({@link ApiDocsHeaders}).
 */
public final class ApiDocs {
  public static final String PATH = "/api/docs";
  public static final String ASSETS = "/io/tracetics/api/docs";
  static final String ASSETS_PATH = PATH + "/assets/";
  static final String SWAGGER_UI_PATH = PATH + "/swagger-ui/";
  private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";

  private ApiDocs() {}

  public static void initialize(Bootstrap<?> bootstrap) {
    bootstrap.addBundle(new AssetsBundle(ASSETS, ASSETS_PATH, null, "api-docs"));
    bootstrap.addBundle(
        new AssetsBundle(
            WEBJAR + swaggerUiVersion(), SWAGGER_UI_PATH, null, "api-docs-swagger-ui"));
  }

  public static void register(Environment environment) {
    environment.jersey().register(new ApiDocsResource());
    environment
        .servlets()
        .addFilter("api-docs-headers", new DashboardHeadersFilter(ApiDocsHeaders.ALL))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, PATH + "/*");
  }

  /** The WebJar's version, from its Maven metadata, so that the dependency alone chooses it. */
  static String swaggerUiVersion() {
    String file = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    try (InputStream in = ApiDocs.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException(file + " is missing: the swagger-ui WebJar is not here");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
