package com.socactions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.blocking.BlockCommand;
import com.socactions.blocking.BlockResponse;
import com.socactions.blocking.BlockStatus;
import com.socactions.blocking.BlockingService;
import com.socactions.blocking.IndicatorResult;
import com.socactions.enrichment.DomainEnrichment;
import com.socactions.enrichment.DomainEnrichmentResponse;
import com.socactions.enrichment.EnrichmentService;
import com.socactions.enrichment.IpEnrichment;
import com.socactions.enrichment.IpEnrichmentResponse;
import com.socactions.enrichment.Lookup;
import com.socactions.enrichment.LookupStatus;
import com.socactions.enrichment.incident.IncidentEnrichment;
import com.socactions.enrichment.incident.IncidentEnrichmentService;
import com.socactions.enrichment.incident.IncidentLookup;
import com.socactions.graph.AccountRef;
import com.socactions.identity.AccountCommand;
import com.socactions.identity.AccountResponse;
import com.socactions.identity.AccountResult;
import com.socactions.identity.AccountStatus;
import com.socactions.identity.IdentityService;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.IpAddresses;
import com.socactions.indicators.ParseResult;
import com.socactions.jobs.BatchWork;
import com.socactions.jobs.JobWork;
import com.socactions.jobs.Jobs;
import com.socactions.jobs.StoredRequest;
import com.socactions.jobs.WholeWork;
import com.socactions.sentinel.Incident;
import com.socactions.sentinel.Incidents;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The operations that may answer 202, each as {@link JobWork}: its body read once (the same reading
 * for a call answered now and for its job), split into chunks that each call the service method the
 * synchronous path always called, and the model of what it costs before any of it has been
 * observed.
 *
 * <p>The cost models are the upstreams' documented batch sizes and pacing with usual latencies:
 * named below with their units, and replaced by what this instance observes as soon as one chunk of
 * that kind has run ({@link com.socactions.jobs.WorkRates}).
 */
final class LongWork implements Jobs.Rebuild {
  /** Indicators a chunk: one Defender import (500 a call), one PAN-OS message, ten CMDB queries. */
  static final int INDICATOR_CHUNK = 500;

  /** Accounts a chunk: five Graph {@code $batch} calls (20 requests each) per step. */
  static final int ACCOUNT_CHUNK = 100;

  /** Items a chunk when RDAP is asked (about ten seconds at ten calls a second). */
  static final int RDAP_CHUNK = 100;

  /** Ledger work per item: its claim and its confirmation, written 100 rows a transaction. */
  static final Duration LEDGER_PER_ITEM = Duration.ofMillis(10);

  /** One Defender for Endpoint indicator import of up to 500 (30 imports a minute at most). */
  static final Duration DEFENDER_IMPORT = Duration.ofSeconds(5);

  /** One PAN-OS User-ID message for a batch. */
  static final Duration PANOS_MESSAGE = Duration.ofSeconds(3);

  /** One read and one write of the named location, paced one a second. */
  static final Duration NAMED_LOCATION_CHANGE = Duration.ofSeconds(2);

  /** One ServiceNow CMDB query (50 keys a query, one after another) for the block guardrail. */
  static final Duration SERVICENOW_QUERY = Duration.ofSeconds(2);

  static final int SERVICENOW_KEYS_PER_QUERY = 50;

  /** One Microsoft Graph {@code $batch} of 20 requests. */
  static final Duration GRAPH_BATCH = Duration.ofMillis(1_500);

  static final int GRAPH_BATCH_SIZE = 20;

  /** One Identity Protection call: paced one a second per tenant. */
  static final Duration GRAPH_PACED_CALL = Duration.ofSeconds(1);

  /** One RDAP lookup, 8 side by side and 10 a second per registry. */
  static final Duration RDAP_PER_ITEM = Duration.ofMillis(100);

  /**
   * One RDAP lookup of an incident's enrichment: its addresses and domains go to many registries,
   * each paced on its own.
   */
  static final Duration INCIDENT_RDAP_PER_LOOKUP = Duration.ofMillis(150);

  /** A GeoIP lookup in memory. */
  static final Duration GEOIP_PER_ITEM = Duration.ofNanos(20_000);

  /**
   * EnrichIncident's deadline in a job: nobody waits on the call, so a slow registry gets the time
   * it needs, within a worker's slice.
   */
  static final Duration JOB_INCIDENT_DEADLINE = Duration.ofMinutes(3);

  private final AppServices services;

  LongWork(AppServices services) {
    this.services = services;
  }

  @Override
  public JobWork<?> work(StoredRequest request) {
    return work(
        request.operation(), RequestJson.parse(request.body()), request.workflowRunId(), true);
  }

  /**
   * The work of one request.
   *
   * @param inJob whether a worker runs it (EnrichIncident then gets {@link #JOB_INCIDENT_DEADLINE})
   * @throws ProblemException for a body that is malformed as a whole (the same 4xx as ever)
   */
  JobWork<?> work(String operation, JsonNode body, String workflowRunId, boolean inJob) {
    return switch (operation) {
      case "BlockIndicators", "AllowIndicators", "UnblockIndicators" ->
          indicators(operation, Commands.block(body, workflowRunId, defaultProvider()));
      case "DisableAccounts", "EnableAccounts", "RevokeSessions", "ConfirmCompromised" ->
          accounts(operation, Commands.accounts(body, workflowRunId));
      case "EnrichIpAddresses" ->
          ips(
              BatchInput.items(body, "ips", BatchInput.MAX_ASYNC_ITEMS),
              BatchInput.options(body, "lookups", Lookup.class));
      case "EnrichDomains" ->
          domains(BatchInput.items(body, "domains", BatchInput.MAX_ASYNC_ITEMS));
      case "EnrichIncident" -> incident(body, inJob);
      default -> throw new IllegalArgumentException(operation + " does not run as a job");
    };
  }

  private String defaultProvider() {
    return services.blocking().defaultProvider();
  }

  private JobWork<?> indicators(String operation, BlockCommand command) {
    BlockingService service = services.blocking().service();
    String provider = command.provider().toLowerCase(Locale.ROOT);
    String verb;
    Function<BlockCommand, BlockResponse> call;
    switch (operation) {
      case "BlockIndicators" -> {
        verb = "block";
        call = service::block;
      }
      case "AllowIndicators" -> {
        verb = "allow";
        call = service::allow;
      }
      default -> {
        verb = "unblock";
        call = service::unblock;
      }
    }
    boolean cmdb =
        operation.equals("BlockIndicators")
            && "servicenow".equalsIgnoreCase(services.settings().get("CMDB_DEFAULT_PROVIDER", ""));
    return new BatchWork<>(
        new BatchWork.Spec<BlockResponse, IndicatorResult>(
            operation,
            operation + "/" + provider,
            INDICATOR_CHUNK,
            LongWork::indicatorKey,
            items -> call.apply(withIndicators(command, items)),
            BlockResponse::results,
            (all, ran) -> BlockResponse.of(provider, verb, all),
            (input, failure) -> failedIndicator(input, provider, failure),
            BlockResponse.class,
            items -> indicatorCost(provider, cmdb, items)),
        command.indicators());
  }

  private static Duration indicatorCost(String provider, boolean cmdb, int items) {
    int batches = (items + INDICATOR_CHUNK - 1) / INDICATOR_CHUNK;
    Duration cost = LEDGER_PER_ITEM.multipliedBy(items);
    cost =
        switch (provider) {
          case "defender" -> cost.plus(DEFENDER_IMPORT.multipliedBy(batches));
          case "panos" -> cost.plus(PANOS_MESSAGE.multipliedBy(batches));
          case "entra-named-location" -> cost.plus(NAMED_LOCATION_CHANGE.multipliedBy(batches));
          default -> cost;
        };
    if (cmdb) {
      int queries = (items + SERVICENOW_KEYS_PER_QUERY - 1) / SERVICENOW_KEYS_PER_QUERY;
      cost = cost.plus(SERVICENOW_QUERY.multipliedBy(queries));
    }
    return cost;
  }

  private static BlockCommand withIndicators(BlockCommand command, List<String> indicators) {
    return new BlockCommand(
        indicators,
        command.provider(),
        command.duration(),
        command.reason(),
        command.incidentId(),
        command.dryRun(),
        command.override(),
        command.workflowRunId(),
        command.requestedBy());
  }

  /** Indicators the service answers together: the same normalised value of the same type. */
  private static String indicatorKey(String input) {
    return Indicators.parse(input) instanceof ParseResult.Parsed parsed
        ? parsed.indicator().type() + " " + parsed.indicator().value()
        : null;
  }

  private static IndicatorResult failedIndicator(String input, String provider, String failure) {
    ParseResult parsed = Indicators.parse(input);
    if (parsed instanceof ParseResult.Parsed ok) {
      return new IndicatorResult(
          ok.indicator().value(),
          ok.indicator().input(),
          ok.indicator().type(),
          BlockStatus.FAILED,
          null,
          failure,
          null,
          provider,
          null,
          ok.notes().isEmpty() ? null : ok.notes());
    }
    ParseResult.Invalid invalid = (ParseResult.Invalid) parsed;
    return new IndicatorResult(
        null,
        invalid.input(),
        null,
        BlockStatus.INVALID,
        null,
        invalid.reason(),
        null,
        null,
        null,
        null);
  }

  private JobWork<?> accounts(String operation, AccountCommand command) {
    IdentityService service = services.identity().service();
    String verb;
    Function<AccountCommand, AccountResponse> call;
    int stepsPerBatch;
    Duration paced = Duration.ZERO;
    switch (operation) {
      case "DisableAccounts" -> {
        verb = "disable accounts";
        call = service::disable;
        stepsPerBatch = command.revokeSessions() ? 3 : 2;
      }
      case "EnableAccounts" -> {
        verb = "enable accounts";
        call = service::enable;
        stepsPerBatch = 2;
      }
      case "RevokeSessions" -> {
        verb = "revoke sessions";
        call = service::revokeSessions;
        stepsPerBatch = 2;
      }
      default -> {
        verb = "confirm compromised";
        call = service::confirmCompromised;
        stepsPerBatch = 1;
        paced = GRAPH_PACED_CALL;
      }
    }
    int steps = stepsPerBatch;
    Duration pacedPerChunk = paced;
    String kind =
        operation
            + (command.revokeSessions() && operation.equals("DisableAccounts") ? "/revoke" : "")
            + (command.dryRun() ? "/dry-run" : "");
    return new BatchWork<>(
        new BatchWork.Spec<AccountResponse, AccountResult>(
            operation,
            kind,
            ACCOUNT_CHUNK,
            LongWork::accountKey,
            items -> call.apply(withAccounts(command, items)),
            AccountResponse::results,
            (all, ran) -> AccountResponse.of(verb, all),
            (input, failure) ->
                new AccountResult(
                    input, null, null, AccountStatus.FAILED, "unavailable", failure, null),
            AccountResponse.class,
            items -> {
              int batches = (items + GRAPH_BATCH_SIZE - 1) / GRAPH_BATCH_SIZE;
              int chunks = (items + ACCOUNT_CHUNK - 1) / ACCOUNT_CHUNK;
              return GRAPH_BATCH
                  .multipliedBy((long) batches * steps)
                  .plus(pacedPerChunk.multipliedBy(chunks))
                  .plus(LEDGER_PER_ITEM.multipliedBy(items));
            }),
        command.accounts());
  }

  private static AccountCommand withAccounts(AccountCommand command, List<String> accounts) {
    return new AccountCommand(
        accounts,
        command.revokeSessions(),
        command.reason(),
        command.incidentId(),
        command.dryRun(),
        command.override(),
        command.workflowRunId(),
        command.requestedBy());
  }

  /**
   * Accounts the service answers together: the same UPN or object id, whatever its case. (An
   * account named once by UPN and once by object id is only known to be one after Graph resolved
   * it: if the two land in different chunks, the later one answers as a re-run would.)
   */
  private static String accountKey(String input) {
    AccountRef ref = AccountRef.parse(input);
    return ref.resolvable() ? ref.kind() + " " + ref.value().toLowerCase(Locale.ROOT) : null;
  }

  private JobWork<?> ips(List<String> ips, Set<Lookup> lookups) {
    EnrichmentService service = services.enrichment().service();
    boolean whois = lookups.contains(Lookup.WHOIS);
    // One RDAP answer covers a whole network: a batch costs its networks, not its addresses. The
    // model counts /16 (IPv4) and /32 (IPv6) networks; a batch spread over smaller allocations
    // shows its real pace in its first chunk, and the rest goes to a job if that is too slow.
    double lookupsPerItem = whois ? (double) publicNetworks(ips) / ips.size() : 0;
    return new BatchWork<>(
        new BatchWork.Spec<IpEnrichmentResponse, IpEnrichment>(
            "EnrichIpAddresses",
            "EnrichIpAddresses" + (whois ? "/whois" : ""),
            whois ? RDAP_CHUNK : BatchInput.MAX_ASYNC_ITEMS,
            null,
            items -> service.enrichIps(items, lookups),
            IpEnrichmentResponse::results,
            (all, ran) ->
                EnrichmentService.ipResponse(
                    all,
                    ran.isEmpty() ? List.of() : ran.get(ran.size() - 1).databases(),
                    ran.isEmpty() ? List.of() : ran.get(ran.size() - 1).warnings()),
            (input, failure) ->
                new IpEnrichment(
                    input, input, LookupStatus.FAILED, null, null, null, null, List.of(failure)),
            IpEnrichmentResponse.class,
            items ->
                GEOIP_PER_ITEM
                    .multipliedBy(items)
                    .plus(RDAP_PER_ITEM.multipliedBy((long) Math.ceil(items * lookupsPerItem)))),
        ips);
  }

  /** Distinct /16 (IPv4) and /32 (IPv6) networks of the public addresses among {@code ips}. */
  private static long publicNetworks(List<String> ips) {
    Set<String> networks = new HashSet<>();
    for (String ip : ips) {
      IpAddresses.parse(ip)
          .filter(address -> IpAddresses.scopeOf(address).isPublic())
          .ifPresent(
              address -> {
                byte[] bytes = address.getAddress();
                networks.add(HexFormat.of().formatHex(bytes, 0, bytes.length == 4 ? 2 : 4));
              });
    }
    return networks.size();
  }

  private JobWork<?> domains(List<String> domains) {
    EnrichmentService service = services.enrichment().service();
    return new BatchWork<>(
        new BatchWork.Spec<DomainEnrichmentResponse, DomainEnrichment>(
            "EnrichDomains",
            "EnrichDomains",
            RDAP_CHUNK,
            null,
            service::enrichDomains,
            DomainEnrichmentResponse::results,
            (all, ran) -> EnrichmentService.domainResponse(all),
            (input, failure) ->
                new DomainEnrichment(
                    null,
                    input,
                    null,
                    LookupStatus.FAILED,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of(failure)),
            DomainEnrichmentResponse.class,
            RDAP_PER_ITEM::multipliedBy),
        domains);
  }

  private JobWork<?> incident(JsonNode body, boolean inJob) {
    Incident incident =
        services.incidents().service().admit(Incidents.parse(body.get("incident"), "incident"));
    Set<IncidentLookup> lookups = BatchInput.options(body, "lookups", IncidentLookup.class);
    Optional<String> provider = BodyFields.text(body, "provider");
    IncidentEnrichmentService service =
        inJob
            ? services.incidents().service().withDeadline(JOB_INCIDENT_DEADLINE)
            : services.incidents().service();
    // RDAP is what can take long: one lookup per address and per domain, at the registries' pace.
    long rdapLookups =
        lookups.contains(IncidentLookup.WHOIS)
            ? incident.entities().stream()
                .filter(entity -> entity.kind() != null)
                .filter(
                    entity ->
                        switch (entity.kind().toLowerCase(Locale.ROOT)) {
                          case "ip", "dnsresolution", "url" -> true;
                          default -> false;
                        })
                .count()
            : 0;
    return new WholeWork<>(
        "EnrichIncident",
        "EnrichIncident" + (rdapLookups > 0 ? "/whois" : ""),
        (int) Math.max(1, rdapLookups),
        () -> service.enrich(incident, provider, lookups),
        failure -> service.unanswered(incident, failure),
        IncidentEnrichment.class,
        rdapLookups > 0 ? INCIDENT_RDAP_PER_LOOKUP : Duration.ZERO);
  }
}
