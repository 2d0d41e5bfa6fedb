package com.socactions.api;

import com.google.common.base.Suppliers;
import com.socactions.blocking.BlockingModule;
import com.socactions.cmdb.CmdbModule;
import com.socactions.decisions.DecisionsModule;
import com.socactions.enrichment.EnrichmentModule;
import com.socactions.enrichment.incident.IncidentModule;
import com.socactions.graph.GraphModule;
import com.socactions.health.HealthService;
import com.socactions.identity.IdentityModule;
import com.socactions.identity.VipAccounts;
import com.socactions.jobs.JobsModule;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.BuildInfo;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClients;
import com.socactions.providers.ProviderRegistry;
import com.socactions.providers.Readiness;
import com.socactions.sentinel.SentinelModule;
import com.socactions.servicenow.ServiceNowModule;
import com.socactions.taxii.TaxiiModule;
import com.socactions.tickets.TicketsModule;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The composition root: one per worker process (see {@link FunctionInjector}), built from a {@link
 * Settings} snapshot and a {@link Clock}. Each capability is a module that builds its own services
 * and registers its own providers; this class only puts them side by side.
 *
 * <p>Constructing it never fails and builds nothing expensive: every module builds its clients on
 * first use, and a malformed setting surfaces from the call that needs it (and in health).
 */
public final class AppServices {
  private final Settings settings;
  private final EnrichmentModule enrichment;
  private final BlockingModule blocking;
  private final ServiceNowModule serviceNow;
  private final CmdbModule cmdb;
  private final IncidentModule incidents;
  private final SentinelModule sentinel;
  private final TicketsModule tickets;
  private final GraphModule graph;
  private final IdentityModule identity;
  private final AzureCredentials credentials;
  private final DecisionsModule decisions;
  private final Supplier<TableStorage> storage;
  private final ProviderRegistry providers = new ProviderRegistry();
  private final HealthService health;
  private final LongWork longWork;
  private final JobsModule jobs;
  private final TaxiiModule taxii;

  public AppServices(Settings settings, Clock clock) {
    this(settings, UpstreamClients.create(clock));
  }

  /**
   * @param kit the process's upstream-client kit: every HTTP client below is built by it, on its
   *     one connection pool, and every module waits and tells time with its sleeper and clock
   */
  public AppServices(Settings settings, UpstreamClients kit) {
    this.settings = settings;
    Clock clock = kit.clock();
    this.credentials = new AzureCredentials(settings, kit);
    // The Azure Tables client takes about 0.5 s to build; only calls that keep state need it.
    this.storage = Suppliers.memoize(() -> new TableStorage(settings, credentials, kit));
    this.decisions = new DecisionsModule(settings, kit, credentials, storage);
    // Upstream call budgets shared by every instance (a row each in storage, opened on first use).
    UpstreamBudgets budgets = new UpstreamBudgets(storage, clock, kit.sleeper());
    this.enrichment = new EnrichmentModule(settings, kit, budgets);
    this.serviceNow = new ServiceNowModule(settings, kit);
    this.cmdb = new CmdbModule(settings, clock, serviceNow);
    this.incidents =
        new IncidentModule(settings, enrichment::service, cmdb.service(), decisions.log(), clock);
    this.graph = new GraphModule(settings, kit, credentials, Ticker.SYSTEM, budgets);
    this.blocking =
        new BlockingModule(
            settings,
            kit,
            credentials,
            storage,
            cmdb.criticalAssets(),
            graph,
            budgets,
            decisions.log());
    this.sentinel = new SentinelModule(settings, kit, credentials);
    this.taxii = new TaxiiModule(settings, clock, blocking::ledger, blocking.providers());
    this.tickets =
        new TicketsModule(
            settings,
            clock,
            storage,
            sentinel::client,
            credentials,
            TicketsModule.defaultSystems(settings, kit, serviceNow),
            decisions.log());
    this.identity =
        new IdentityModule(
            settings,
            clock,
            credentials,
            graph,
            blocking::ledger,
            VipAccounts.of(cmdb.service()),
            decisions.log());
    providers.register(enrichment.providers());
    providers.register(blocking.providers());
    providers.register(cmdb.providers());
    providers.register(tickets.providers());
    providers.register(sentinel.providers());
    providers.register(graph.providers());
    this.health =
        new HealthService(
            this::storageReadiness,
            Map.of(DecisionsModule.HEALTH_COMPONENT, decisions::readiness),
            providers,
            clock,
            BuildInfo.version());

    this.longWork = new LongWork(this);
    this.jobs =
        new JobsModule(settings, clock, storage, credentials, kit, longWork, LongRequests.ANSWERS);
  }

  /** The block ledger as a TAXII 2.1 server (off unless its credentials are set). */
  public TaxiiModule taxii() {
    return taxii;
  }

  /** Long work: jobs in Table Storage, the job queue, the decision rule. */
  public JobsModule jobs() {
    return jobs;
  }

  /** The operations that may answer 202, as work a job can run. */
  LongWork longWork() {
    return longWork;
  }

  public Settings settings() {
    return settings;
  }

  public EnrichmentModule enrichment() {
    return enrichment;
  }

  /** The ServiceNow instance the CMDB and ticket sync share. */
  public ServiceNowModule serviceNow() {
    return serviceNow;
  }

  public CmdbModule cmdb() {
    return cmdb;
  }

  /**
   * Incident enrichment: every entity of an incident through enrichment and the CMDB in one call.
   */
  public IncidentModule incidents() {
    return incidents;
  }

  /** The Sentinel REST API (incidents, comments), with the app's Azure identity. */
  public SentinelModule sentinel() {
    return sentinel;
  }

  /** Ticket sync with ServiceNow and Jira, both ways. */
  public TicketsModule tickets() {
    return tickets;
  }

  /** Every decision also written to Log Analytics (off when not configured). */
  public DecisionsModule decisions() {
    return decisions;
  }

  public BlockingModule blocking() {
    return blocking;
  }

  /** Microsoft Graph: one client per worker, built on first use. */
  public GraphModule graph() {
    return graph;
  }

  /** Identity response on Entra ID accounts. */
  public IdentityModule identity() {
    return identity;
  }

  /**
   * The one Azure credential of the process (storage, Defender, Graph, Sentinel), built on first
   * use.
   */
  public AzureCredentials credentials() {
    return credentials;
  }

  public TableStorage storage() {
    return storage.get();
  }

  public ProviderRegistry providers() {
    return providers;
  }

  public HealthService health() {
    return health;
  }

  private Readiness storageReadiness() {
    TableStorage.Probe probe = storage.get().probe();
    return switch (probe.status()) {
      case OK -> Readiness.ok(probe.detail());
      case UNREACHABLE, MISCONFIGURED -> Readiness.error(probe.detail());
    };
  }
}
