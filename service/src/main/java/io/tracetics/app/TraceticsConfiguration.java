package io.tracetics.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.tracetics.alerts.AlertsConfig;
import io.tracetics.analytics.DuckDbConfig;
import io.tracetics.billing.StripeConfig;
import io.tracetics.explore.ExploreConfig;
import io.tracetics.funnels.FunnelsConfig;
import io.tracetics.ingest.IngestConfig;
import io.tracetics.jobs.QuartzConfig;
import io.tracetics.loader.PipelineConfig;
import io.tracetics.ops.OperationsConfig;
import io.tracetics.queue.RedisConfig;
import io.tracetics.sharing.SharingConfig;
import io.tracetics.tenancy.TenancyConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * The whole service configuration, validated at startup. Secrets and server addresses come only
 * from environment variables (see config.yml); an empty database URL or Redis URL means "start the
 * embedded server".
 */
public class TraceticsConfiguration extends Configuration {

  @Valid @NotNull private DataSourceFactory database = new DataSourceFactory();

  @Valid @NotNull private RedisConfig redis = new RedisConfig();

  @Valid @NotNull private EmbeddedConfig embedded = new EmbeddedConfig();

  @Valid @NotNull private TenancyConfig tenancy = new TenancyConfig();

  @Valid @NotNull private DuckDbConfig duckdb = new DuckDbConfig();

  @Valid @NotNull private PipelineConfig pipeline = new PipelineConfig();

  @Valid @NotNull private QuartzConfig quartz = new QuartzConfig();

  @Valid @NotNull private StripeConfig stripe = new StripeConfig();

  @Valid @NotNull private IngestConfig ingest = new IngestConfig();

  @Valid @NotNull private ExploreConfig explore = new ExploreConfig();

  @Valid @NotNull private OperationsConfig operations = new OperationsConfig();

  @Valid @NotNull private FunnelsConfig funnels = new FunnelsConfig();

  @Valid @NotNull private AlertsConfig alerts = new AlertsConfig();
  @Valid @NotNull private SharingConfig sharing = new SharingConfig();

  /** Directory for the DuckDB file and the embedded servers' data. */
  @NotNull private Path dataDir = Path.of("data");

  @JsonProperty
  public FunnelsConfig getFunnels() {
    return funnels;
  }

  @JsonProperty
  public void setFunnels(FunnelsConfig funnels) {
    this.funnels = funnels;
  }

  @JsonProperty
  public AlertsConfig getAlerts() {
    return alerts;
  }

  @JsonProperty
  public void setAlerts(AlertsConfig alerts) {
    this.alerts = alerts;
  }

  @JsonProperty
  public OperationsConfig getOperations() {
    return operations;
  }

  @JsonProperty
  public void setOperations(OperationsConfig operations) {
    this.operations = operations;
  }

  @JsonProperty
  public SharingConfig getSharing() {
    return sharing;
  }

  @JsonProperty
  public void setSharing(SharingConfig sharing) {
    this.sharing = sharing;
  }

  @JsonProperty
  public DataSourceFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DataSourceFactory database) {
    this.database = database;
  }

  @JsonProperty
  public RedisConfig getRedis() {
    return redis;
  }

  @JsonProperty
  public void setRedis(RedisConfig redis) {
    this.redis = redis;
  }

  @JsonProperty
  public EmbeddedConfig getEmbedded() {
    return embedded;
  }

  @JsonProperty
  public void setEmbedded(EmbeddedConfig embedded) {
    this.embedded = embedded;
  }

  @JsonProperty
  public TenancyConfig getTenancy() {
    return tenancy;
  }

  @JsonProperty
  public void setTenancy(TenancyConfig tenancy) {
    this.tenancy = tenancy;
  }

  @JsonProperty
  public DuckDbConfig getDuckdb() {
    return duckdb;
  }

  @JsonProperty
  public void setDuckdb(DuckDbConfig duckdb) {
    this.duckdb = duckdb;
  }

  @JsonProperty
  public PipelineConfig getPipeline() {
    return pipeline;
  }

  @JsonProperty
  public void setPipeline(PipelineConfig pipeline) {
    this.pipeline = pipeline;
  }

  @JsonProperty
  public QuartzConfig getQuartz() {
    return quartz;
  }

  @JsonProperty
  public void setQuartz(QuartzConfig quartz) {
    this.quartz = quartz;
  }

  @JsonProperty
  public StripeConfig getStripe() {
    return stripe;
  }

  @JsonProperty
  public void setStripe(StripeConfig stripe) {
    this.stripe = stripe;
  }

  @JsonProperty
  public IngestConfig getIngest() {
    return ingest;
  }

  @JsonProperty
  public void setIngest(IngestConfig ingest) {
    this.ingest = ingest;
  }

  @JsonProperty
  public ExploreConfig getExplore() {
    return explore;
  }

  @JsonProperty
  public void setExplore(ExploreConfig explore) {
    this.explore = explore;
  }

  @JsonProperty
  public Path getDataDir() {
    return dataDir;
  }

  @JsonProperty
  public void setDataDir(Path dataDir) {
    this.dataDir = dataDir;
  }
}
