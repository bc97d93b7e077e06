package io.tracetics.app;

import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import io.tracetics.actors.ActorWriters;
import io.tracetics.actors.ActorsService;
import io.tracetics.alerts.AlertEvaluator;
import io.tracetics.alerts.AlertService;
import io.tracetics.alerts.AlertsConfig;
import io.tracetics.alerts.AlertsResource;
import io.tracetics.alerts.WebhookDispatcher;
import io.tracetics.alerts.WebhookSender;
import io.tracetics.alerts.WebhookTargets;
import io.tracetics.analytics.AnalyticsStores;
import io.tracetics.api.ApiDocs;
import io.tracetics.api.OpenApiResource;
import io.tracetics.billing.Billing;
import io.tracetics.cli.AppsCommand;
import io.tracetics.cli.DbCommand;
import io.tracetics.cli.DemoDataCommand;
import io.tracetics.cli.ImportCommand;
import io.tracetics.cli.RebuildAnalyticsCommand;
import io.tracetics.cli.TenantsCommand;
import io.tracetics.cohorts.CohortService;
import io.tracetics.cohorts.CohortsResource;
import io.tracetics.dashboard.Dashboard;
import io.tracetics.db.JdbiSetup;
import io.tracetics.db.Migrator;
import io.tracetics.engine.explore.ReadOnlySqlRunner;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.PersonLookup;
import io.tracetics.errors.ErrorMappers;
import io.tracetics.explore.ExploreResource;
import io.tracetics.explore.ExploreService;
import io.tracetics.explore.ExploreWriters;
import io.tracetics.funnels.FunnelRefreshStatus;
import io.tracetics.funnels.FunnelService;
import io.tracetics.funnels.FunnelTraceResource;
import io.tracetics.funnels.FunnelsResource;
import io.tracetics.funnels.ReportService;
import io.tracetics.funnels.SavedFunnelRefresher;
import io.tracetics.funnels.TraceService;
import io.tracetics.health.DuckDbHealthCheck;
import io.tracetics.health.RedisHealthCheck;
import io.tracetics.idempotency.IdempotencyFilter;
import io.tracetics.idempotency.IdempotencyStore;
import io.tracetics.identity.IdentifyResource;
import io.tracetics.identity.IdentifyService;
import io.tracetics.ids.TenantId;
import io.tracetics.ingest.AppRateLimiter;
import io.tracetics.ingest.ClusterRateLimiter;
import io.tracetics.ingest.EventParser;
import io.tracetics.ingest.EventsResource;
import io.tracetics.ingest.GroupCommitWriter;
import io.tracetics.ingest.IngestConfig;
import io.tracetics.ingest.IngestCorsFilter;
import io.tracetics.ingest.IngestMetrics;
import io.tracetics.ingest.IngestRateLimiter;
import io.tracetics.ingest.IngestService;
import io.tracetics.ingest.IngestWriter;
import io.tracetics.ingest.RateLimitHeaders;
import io.tracetics.ingest.RateLimitRules;
import io.tracetics.ingest.RedisSharedBuckets;
import io.tracetics.jobs.ClusterJobRuns;
import io.tracetics.jobs.Scheduling;
import io.tracetics.loader.BatchLoader;
import io.tracetics.loader.LoadEventsJob;
import io.tracetics.loader.LoadListener;
import io.tracetics.loader.LoaderMetrics;
import io.tracetics.loader.NoticeConsumer;
import io.tracetics.loader.NoticeStreamTrimJob;
import io.tracetics.loader.PipelineConfig;
import io.tracetics.loader.PipelineResource;
import io.tracetics.loader.PipelineRunner;
import io.tracetics.loader.PipelineStatusService;
import io.tracetics.loader.SavedFunnelsStatus;
import io.tracetics.loader.TenantPipelineResource;
import io.tracetics.loader.TenantPipelineService;
import io.tracetics.ops.PrometheusEndpoint;
import io.tracetics.ops.QuietRequestLogStart;
import io.tracetics.ops.ReadinessEndpoint;
import io.tracetics.ops.RequestLogRedaction;
import io.tracetics.persons.PersonService;
import io.tracetics.persons.PersonsResource;
import io.tracetics.queue.IngestNoticePublisher;
import io.tracetics.queue.RedisFactory;
import io.tracetics.sdk.SdkBundle;
import io.tracetics.sdk.SdkResource;
import io.tracetics.segment.SegmentPreflightFilter;
import io.tracetics.segment.SegmentResource;
import io.tracetics.segment.SegmentService;
import io.tracetics.sharing.ShareLookup;
import io.tracetics.sharing.SharePageResource;
import io.tracetics.sharing.ShareRateLimiter;
import io.tracetics.sharing.ShareService;
import io.tracetics.sharing.SharedReportResource;
import io.tracetics.sharing.SharedReportService;
import io.tracetics.sharing.SharesResource;
import io.tracetics.sharing.SharingConfig;
import io.tracetics.tenancy.ApiAuth;
import io.tracetics.tenancy.ApiKeyGrants;
import io.tracetics.tenancy.ApiKeyService;
import io.tracetics.tenancy.ApiKeysResource;
import io.tracetics.tenancy.AppService;
import io.tracetics.tenancy.AppsResource;
import io.tracetics.tenancy.CredentialStore;
import io.tracetics.tenancy.OperatorAuthenticator;
import io.tracetics.tenancy.PlanCatalog;
import io.tracetics.tenancy.TenantAuthenticator;
import io.tracetics.tenancy.TenantService;
import io.tracetics.tenancy.TenantsResource;
import io.tracetics.tenancy.WriteKeyService;
import io.tracetics.tenancy.WriteKeysResource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.glassfish.jersey.server.ServerProperties;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/** The Tracetics service: wires configuration, servers, services and resources in one place. */
public class TraceticsApplication extends Application<TraceticsConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(TraceticsApplication.class);

  /** Jersey's per-answer buffer for a Content-Length (see run). */
  private static final int ANSWER_BUFFER_BYTES = 2048;

  private AnalyticsStore analyticsStore;

  public static void main(String[] args) throws Exception {
    new TraceticsApplication().run(args);
  }

  @Override
  public String getName() {
    return "tracetics";
  }

  /** Dropwizard's default commands, with a {@code server} that reports missing servers briefly. */
  @Override
  protected void addDefaultCommands(Bootstrap<TraceticsConfiguration> bootstrap) {
    bootstrap.addCommand(new TraceticsServerCommand(this));
    bootstrap.addCommand(new CheckCommand<>(this));
  }

  @Override
  public void initialize(Bootstrap<TraceticsConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    bootstrap.addCommand(new DbCommand());
    bootstrap.addCommand(new RebuildAnalyticsCommand());
    bootstrap.addCommand(new ImportCommand());
    bootstrap.addCommand(new DemoDataCommand());
    bootstrap.addCommand(new TenantsCommand());
    bootstrap.addCommand(new AppsCommand());
    // The configuration keeps Jackson's usual coercions, so `-Ddw.server.port=8081`-style
    // overrides (always text) still set numbers; request bodies use the strict mapper below.
    ObjectMapper configMapper = bootstrap.getObjectMapper().copy();
    bootstrap.setConfigurationFactoryFactory(
        (klass, validator, ignored, prefix) ->
            new YamlConfigurationFactory<>(klass, validator, configMapper, prefix));
    Dashboard.initialize(bootstrap);
    ApiDocs.initialize(bootstrap);
    StrictJson.configure(bootstrap.getObjectMapper());
  }

  @Override
  public void run(TraceticsConfiguration config, Environment environment) throws Exception {
    // Errors: one JSON shape for everything; Dropwizard's own mappers would answer in others.
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      server.setRegisterDefaultExceptionMappers(false);
    }
    ErrorMappers.register(environment);
    // Share links' tokens are in their URLs: the request log cuts them out, whatever its layout.
    RequestLogRedaction.install(config.getServerFactory());
    // Jersey buffers each answer to give it a Content-Length, in a new buffer of this size per
    // answer (default 8 KB, for ingest answers of under 200 bytes: 44% of what the ingest
    // benchmark's requests allocated in ByteArrayOutputStreams). A longer answer goes out chunked.
    environment
        .jersey()
        .property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, ANSWER_BUFFER_BYTES);
    environment.jersey().register(new OpenApiResource());
    ApiDocs.register(environment);
    Dashboard.register(environment);
    environment.jersey().register(new SdkResource(SdkBundle.load()));

    // Servers: embedded ones only where none is configured. Managed first, so stopped last.
    EmbeddedServers embedded = EmbeddedServers.startMissing(config);
    if (config.getQuartz().clustered && embedded.databaseEmbedded()) {
      LOG.warn(
          "quartz.clustered is true but the database is this process's embedded MariaDB: no other"
              + " node can join. Set TRACETICS_DB_URL (and TRACETICS_REDIS_URL) to shared servers.");
    }
    environment.lifecycle().manage(embedded);

    DataSourceFactory database = config.getDatabase();
    var migrated = Migrator.migrate(database.getUrl(), database.getUser(), database.getPassword());
    LOG.info(
        "Database schema at version {} ({} migration(s) applied now)",
        migrated.targetSchemaVersion,
        migrated.migrationsExecuted);
    Jdbi jdbi = JdbiSetup.configure(new JdbiFactory().build(environment, database, "mariadb"));
    // Admin port: /ready (503 until started, while MariaDB is unreachable, and while draining) and
    // /prometheus (every metric registered in environment.metrics(), whenever it is registered).
    ReadinessEndpoint.register(environment, config.getOperations(), jdbi);
    PrometheusEndpoint.register(environment);
    environment.lifecycle().addEventListener(new QuietRequestLogStart());

    RedisClient redis = RedisFactory.build(config.getRedis());
    environment.lifecycle().manage(RedisFactory.managed(redis));
    environment.healthChecks().register("redis", new RedisHealthCheck(redis));

    // Tenancy: the configured plans are written to the database before anything reads them.
    PlanCatalog plans = Plans.load(config, jdbi);
    CredentialStore credentials = new CredentialStore(jdbi, config.getTenancy());
    TenantService tenants = new TenantService(jdbi, credentials, plans);
    AppService apps = new AppService(jdbi, credentials);
    String operatorToken =
        OperatorToken.resolve(config.getTenancy().operatorToken, config.getDataDir());
    ApiKeyGrants apiKeyGrants = new ApiKeyGrants(jdbi, config.getTenancy(), Clock.systemUTC());
    registerAuth(environment, credentials, apiKeyGrants, operatorToken);
    environment
        .jersey()
        .register(
            new ApiKeysResource(
                new ApiKeyService(jdbi, credentials, apiKeyGrants, Clock.systemUTC())));
    environment.jersey().register(new TenantsResource(tenants));
    environment.jersey().register(new AppsResource(apps));
    environment.jersey().register(new WriteKeysResource(new WriteKeyService(jdbi, credentials)));

    // Analytics and the pipeline that keeps this node's DuckDB copy complete.
    AnalyticsStore store =
        AnalyticsStores.open(config.getDuckdb().storeConfig(config.getDataDir()));
    environment.lifecycle().manage(AnalyticsStores.managed(store));
    this.analyticsStore = store;
    environment.healthChecks().register("duckdb", new DuckDbHealthCheck(store));

    // Tenants' SQL over their own events, on reader connections of the sandboxed store.
    environment
        .jersey()
        .register(
            new ExploreResource(
                new ExploreService(
                    apps, new ReadOnlySqlRunner(store, config.getExplore().limits()))));
    ExploreWriters.all().forEach(environment.jersey()::register);
    String nodeName = NodeName.resolve(config);
    IngestMetrics ingestMetrics = new IngestMetrics(environment.metrics());
    List<LoadListener> loadListeners = new ArrayList<>();
    FunnelService funnels = new FunnelService(jdbi, apps, environment.getObjectMapper());
    ActorsService actors = new ActorsService(store, funnels, apps);
    ReportService reports =
        new ReportService(
            jdbi, store, funnels, environment.getObjectMapper(), environment.metrics());
    loadListeners.add(reports);
    // Saved funnels refresh once per cluster and app, under a lease; only nodes that load do it.
    SavedFunnelRefresher refresher =
        new SavedFunnelRefresher(
            jdbi,
            store,
            reports,
            config.getFunnels(),
            nodeName,
            nodeName + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID(),
            environment.metrics(),
            System::currentTimeMillis);
    if (config.getPipeline().enabled) {
      loadListeners.add(refresher);
      environment.lifecycle().manage(refresher);
    }
    environment.jersey().register(new FunnelsResource(funnels, reports, apps, actors));
    alerts(config, environment, jdbi, apps, funnels, reports, nodeName);
    ActorWriters.all().forEach(environment.jersey()::register);
    sharing(config, environment, jdbi, funnels, reports);
    environment
        .jersey()
        .register(
            new FunnelTraceResource(
                new TraceService(funnels, store, environment.getObjectMapper())));
    environment
        .jersey()
        .register(
            new PersonsResource(new PersonService(apps, store, environment.getObjectMapper())));
    Scheduling scheduling =
        pipeline(
            config,
            environment,
            jdbi,
            redis,
            store,
            apps,
            nodeName,
            loadListeners,
            new PipelineStatusSources(
                ingestMetrics,
                reports.recomputeTimer(),
                new FunnelRefreshStatus(jdbi, store, refresher, System::currentTimeMillis)));
    environment.lifecycle().manage(scheduling);

    // Billing: Stripe webhooks set each tenant's plan; usage against the plan's limits.
    Billing billing = Billing.create(config.getStripe(), jdbi, plans);
    environment.jersey().register(billing.webhookResource());
    environment.jersey().register(billing.billingResource());

    // Ingest: validated events -> group-commit writer (MariaDB) -> notice on the Redis stream.
    IngestConfig ingestConfig = config.getIngest();
    IngestNoticePublisher notices =
        new IngestNoticePublisher(
            redis,
            ingestConfig.noticeStream,
            ingestConfig.noticeStreamMaxLen,
            ingestMetrics.noticesPublished(),
            ingestMetrics.noticeFailures());
    environment.lifecycle().manage(notices);
    // Cohorts: their changes take the ingest path's batches and notices to the loader.
    environment
        .jersey()
        .register(
            new CohortsResource(
                new CohortService(
                    jdbi, apps, notices, new PersonLookup(store), actors, Clock.systemUTC())));
    IngestWriter writer = ingestWriter(jdbi, ingestConfig, ingestMetrics, notices, environment);
    IngestService ingest =
        new IngestService(
            credentials,
            new EventParser(),
            ingestRateLimiter(ingestConfig, redis, config, environment),
            writer,
            ingestMetrics,
            ingestConfig,
            Clock.systemUTC(),
            new IdentifyService(
                jdbi,
                notices,
                Clock.systemUTC(),
                Math.max(1, ingestConfig.databaseTimeout.toSeconds())));
    environment.jersey().register(new EventsResource(ingest));
    environment.jersey().register(new IdentifyResource(ingest));
    environment
        .jersey()
        .register(
            new SegmentResource(
                new SegmentService(credentials, new EventParser(), ingest, Clock.systemUTC())));
    environment.jersey().register(new SegmentPreflightFilter());
    // Idempotency-Key on the management POSTs (@Idempotent); expired keys deleted hourly.
    IdempotencyStore idempotency = new IdempotencyStore(jdbi, Clock.systemUTC());
    environment
        .jersey()
        .register(new IdempotencyFilter(idempotency, environment.getObjectMapper()));
    environment
        .lifecycle()
        .scheduledExecutorService("idempotency-expiry")
        .threads(1)
        .build()
        .scheduleWithFixedDelay(
            () -> {
              try {
                idempotency.deleteExpired();
              } catch (RuntimeException e) {
                LOG.warn("Deleting expired idempotency keys failed; retrying in an hour", e);
              }
            },
            1,
            60,
            java.util.concurrent.TimeUnit.MINUTES);
    environment.jersey().register(new IngestCorsFilter());
    environment.jersey().register(new RateLimitHeaders());

    if (embedded.databaseEmbedded() && config.getEmbedded().createDemoTenant) {
      DemoTenant.DemoKeys keys =
          DemoTenant.ensure(
              jdbi, tenants, apps, environment.getObjectMapper(), config.getDataDir());
      java.nio.file.Path operatorTokenFile =
          config.getTenancy().operatorToken.isBlank()
              ? config.getDataDir().resolve("operator-token").toAbsolutePath()
              : null;
      environment
          .lifecycle()
          .addServerLifecycleListener(
              new ServerLifecycleListener() {
                @Override
                public void serverStarted(org.eclipse.jetty.server.Server server) {
                  DemoTenant.print(
                      System.out,
                      keys,
                      tenants.get(TenantId.of(keys.tenantId())).plan(),
                      "http://localhost:" + getLocalPort(server),
                      operatorTokenFile);
                }
              });
    }
  }

  /**
   * Where the ingest endpoints store events: the group-commit writer on MariaDB, managed by the
   * environment. The one place that builds it, so that a subclass (the ingest benchmark's floor
   * server) can serve the same endpoints with another writer.
   */
  protected IngestWriter ingestWriter(
      Jdbi jdbi,
      IngestConfig ingestConfig,
      IngestMetrics metrics,
      IngestNoticePublisher notices,
      Environment environment) {
    GroupCommitWriter writer =
        new GroupCommitWriter(
            jdbi, ingestConfig, metrics, environment.metrics(), notices, Clock.systemUTC());
    environment.lifecycle().manage(writer);
    return writer;
  }

  /**
   * The per-app ingest rate limit: one shared bucket per app in Redis with a per-node fallback (the
   * limit divided by the expected nodes) while Redis is down; or per node only, when configured so.
   */
  private static IngestRateLimiter ingestRateLimiter(
      IngestConfig ingest,
      RedisClient redis,
      TraceticsConfiguration config,
      Environment environment) {
    if (!ingest.rateLimitClusterWide) {
      return new AppRateLimiter(
          ingest.rateLimitEventsPerSecond, ingest.rateLimitBurst, System::nanoTime);
    }
    AppRateLimiter perNode =
        new AppRateLimiter(
            RateLimitRules.perNode(ingest.rateLimitEventsPerSecond, ingest.rateLimitExpectedNodes),
            RateLimitRules.perNode(ingest.rateLimitBurst, ingest.rateLimitExpectedNodes),
            System::nanoTime);
    return new ClusterRateLimiter(
        new RedisSharedBuckets(
            redis,
            ingest.rateLimitKeyPrefix,
            ingest.rateLimitEventsPerSecond,
            ingest.rateLimitBurst,
            java.time.Duration.ofMillis(config.getRedis().timeout.toMilliseconds())),
        perNode,
        ingest.rateLimitEventsPerSecond,
        ingest.rateLimitBurst,
        ingest.rateLimitLeaseEvents,
        java.time.Duration.ofMillis(ingest.rateLimitRedisRetry.toMilliseconds()),
        System::nanoTime,
        environment.metrics());
  }

  /**
   * Alerts: evaluated after each refresh of a saved funnel on this node; their webhooks sent by
   * each node's dispatcher, which claims each attempt under a lease.
   */
  private static void alerts(
      TraceticsConfiguration config,
      Environment environment,
      Jdbi jdbi,
      AppService apps,
      FunnelService funnels,
      ReportService reports,
      String nodeName) {
    AlertsConfig alerts = config.getAlerts();
    WebhookTargets targets = new WebhookTargets(WebhookTargets.SYSTEM, alerts.allowPrivateTargets);
    long attemptMillis =
        alerts.connectTimeout.toMilliseconds() + alerts.requestTimeout.toMilliseconds();
    WebhookDispatcher dispatcher =
        new WebhookDispatcher(
            jdbi,
            new WebhookSender(
                targets,
                alerts.connectTimeout.toJavaDuration(),
                alerts.requestTimeout.toJavaDuration()),
            alerts.backoff(),
            environment.getObjectMapper(),
            Clock.systemUTC(),
            environment.lifecycle().scheduledExecutorService("alert-webhooks").threads(1).build(),
            alerts.pollInterval.toMilliseconds(),
            attemptMillis + 30_000,
            nodeName + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
    environment.lifecycle().manage(dispatcher);
    AlertEvaluator evaluator =
        new AlertEvaluator(jdbi, environment.getObjectMapper(), Clock.systemUTC());
    evaluator.attach(reports, dispatcher::wake);
    environment
        .jersey()
        .register(
            new AlertsResource(
                new AlertService(jdbi, apps, funnels, targets, evaluator, Clock.systemUTC())));
  }

  /** What the operator's pipeline status reads besides the loader's own metrics. */
  private record PipelineStatusSources(
      IngestMetrics ingest, Timer recompute, SavedFunnelsStatus savedFunnels) {}

  /** This node's analytic store, once {@link #run} has opened it (for tests and diagnostics). */
  public AnalyticsStore analyticsStore() {
    return analyticsStore;
  }

  private static Scheduling pipeline(
      TraceticsConfiguration config,
      Environment environment,
      Jdbi jdbi,
      RedisClient redis,
      AnalyticsStore store,
      AppService apps,
      String nodeName,
      List<LoadListener> loadListeners,
      PipelineStatusSources statusSources)
      throws Exception {
    PipelineConfig pipeline = config.getPipeline();
    LoaderMetrics metrics = new LoaderMetrics(environment.metrics());
    BatchLoader loader =
        new BatchLoader(jdbi, store, pipeline, metrics, loadListeners, System::currentTimeMillis);
    NoticeConsumer notices =
        new NoticeConsumer(
            redis,
            config.getIngest().noticeStream,
            nodeName,
            nodeName + "-" + ProcessHandle.current().pid(),
            pipeline.reclaimIdle.toMilliseconds());
    PipelineRunner runner =
        new PipelineRunner(
            loader,
            notices,
            metrics,
            (int) pipeline.noticeWait.toMilliseconds(),
            (int) pipeline.minLoadSpacing.toMilliseconds(),
            System::currentTimeMillis);
    ManagedDataSource quartzDataSource = null;
    if (config.getQuartz().clustered) {
      quartzDataSource = config.getDatabase().build(environment.metrics(), "quartz");
      environment.lifecycle().manage(quartzDataSource);
    }
    Scheduling scheduling = new Scheduling(nodeName, config.getQuartz(), quartzDataSource);
    ClusterJobRuns runs = new ClusterJobRuns(jdbi, nodeName, System::currentTimeMillis);
    scheduling.everyOnceInCluster(
        NoticeStreamTrimJob.class,
        () ->
            new NoticeStreamTrimJob(
                redis,
                runs,
                config.getIngest().noticeStream,
                config.getIngest().noticeStreamMaxLen),
        pipeline.noticeTrimInterval.toMilliseconds());

    if (pipeline.enabled) {
      long interval = pipeline.loadInterval.toMilliseconds();
      long budget = Math.max(100, interval * 9 / 10);
      scheduling.everyOnThisNode(
          LoadEventsJob.class, () -> new LoadEventsJob(runner, budget), interval);
    }
    environment
        .jersey()
        .register(
            new PipelineResource(
                new PipelineStatusService(
                    nodeName,
                    statusSources.ingest(),
                    metrics,
                    statusSources.recompute(),
                    notices,
                    jdbi,
                    runs,
                    statusSources.savedFunnels())));
    environment
        .jersey()
        .register(
            new TenantPipelineResource(
                new TenantPipelineService(
                    nodeName,
                    metrics,
                    notices,
                    jdbi,
                    apps,
                    store,
                    statusSources.savedFunnels(),
                    Clock.systemUTC())));
    return scheduling;
  }

  /**
   * Share links: managed with the management token; their report and page are open to whoever holds
   * a link's token.
   */
  private static void sharing(
      TraceticsConfiguration config,
      Environment environment,
      Jdbi jdbi,
      FunnelService funnels,
      ReportService reports) {
    SharingConfig sharing = config.getSharing();
    ShareLookup lookup = new ShareLookup(jdbi, config.getTenancy());
    SharedReportService shared =
        new SharedReportService(
            lookup,
            funnels,
            reports,
            new ShareRateLimiter(
                sharing.liveReportsPerMinute, sharing.liveReportsBurst, System::nanoTime),
            environment.getObjectMapper(),
            Clock.systemUTC());
    environment
        .jersey()
        .register(
            new SharesResource(
                new ShareService(
                    jdbi, funnels, lookup, sharing.maxLinksPerFunnel, Clock.systemUTC())));
    environment.jersey().register(new SharedReportResource(shared));
    environment.jersey().register(new SharePageResource(shared, sharing.frameAncestors));
  }

  private static void registerAuth(
      Environment environment,
      CredentialStore credentials,
      ApiKeyGrants apiKeys,
      String operatorToken) {
    ApiAuth.providers(
            new TenantAuthenticator(credentials, apiKeys), new OperatorAuthenticator(operatorToken))
        .forEach(environment.jersey()::register);
  }
}
