package io.tracetics.analytics;

import io.dropwizard.lifecycle.Managed;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Opens the node's DuckDB file and closes it when the application stops. */
public final class AnalyticsStores {
  /**
   * The load stream of events from MariaDB: the store records under this name how far the loader
   * got (the last commit epoch loaded), and reports read their watermark from it.
   */
  public static final String EVENTS_STREAM = "mariadb-epochs";

  private AnalyticsStores() {}

  public static AnalyticsStore open(StoreConfig config) {
    config
        .file()
        .ifPresent(
            file -> {
              try {
                Files.createDirectories(file.toAbsolutePath().getParent());
              } catch (IOException e) {
                throw new UncheckedIOException("Cannot create " + file.getParent(), e);
              }
            });
    return AnalyticsStore.open(config);
  }

  public static Managed managed(AnalyticsStore store) {
    return new Managed() {
      @Override
      public void stop() {
        store.close();
      }
    };
  }
}
