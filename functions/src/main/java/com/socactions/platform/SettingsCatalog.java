package com.socactions.platform;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every app setting SOC Actions reads or its deployment writes, in one list: name, default (with
 * its unit), whether it holds a secret, the capability it belongs to, who sets it, and what it
 * does.
 *
 * <p>It is the source of {@code docs/settings.md} and {@code
 * functions/local.settings.example.json}, which a test generates from it; tests also fail when a
 * setting name read anywhere in the app's code, or written by {@code arm/functionapp.json}, is
 * missing here. A new setting is one entry below (in its capability's group), then the generated
 * files are regenerated.
 *
 * <p>The catalog describes; it does not parse. Each capability still reads and validates its own
 * settings, and {@link Settings} says which values it hides ({@link Settings#isSecret}).
 */
public final class SettingsCatalog {

  /** What a setting belongs to; the groups of {@code docs/settings.md}, in this order. */
  public enum Capability {
    STORAGE("State storage", "deployment.md#storage-and-identity"),
    AZURE_IDENTITY("Azure identity", "deployment.md#storage-and-identity"),
    GEOIP("GeoIP", "providers.md#geoip-maxmind-db"),
    RDAP("RDAP (WhoIs)", "providers.md#rdap-whois"),
    INCIDENT_ENRICHMENT("Incident enrichment", "operations.md#enrichincident"),
    BLOCKING("Block and allow", "guardrails.md#block-and-allow"),
    TAXII("TAXII server", "taxii.md"),
    DEFENDER("Defender for Endpoint", "providers.md#defender-for-endpoint-defender"),
    PANOS("PAN-OS", "providers.md#pan-os-panos"),
    ENTRA_ID("Microsoft Entra ID", "providers.md#microsoft-entra-id-microsoft-graph"),
    CMDB("CMDB", "providers.md#built-in-cmdb-builtin"),
    SERVICENOW("ServiceNow", "providers.md#servicenow-servicenow"),
    JIRA("Jira Cloud", "providers.md#jira-cloud-jira"),
    SENTINEL("Microsoft Sentinel", "providers.md#microsoft-sentinel-sentinel"),
    DECISIONS("Decisions in Log Analytics", "sentinel.md#decisions-in-log-analytics"),
    JOBS("Long work (jobs)", "jobs.md"),
    FUNCTIONS_HOST("Azure Functions host", "deployment.md#what-the-deployment-creates"),
    LOCAL_HOST("Local host", "local-development.md#the-local-host");

    private final String title;
    private final String doc;

    Capability(String title, String doc) {
      this.title = title;
      this.doc = doc;
    }

    /** The group's heading in {@code docs/settings.md}. */
    public String title() {
      return title;
    }

    /** Where the capability is explained, relative to {@code docs/}. */
    public String doc() {
      return doc;
    }
  }

  /** Who gives a setting its value. */
  public enum Source {
    /** The administrator (an app setting; optional when it has a default). */
    ADMINISTRATOR("you"),
    /** The deployment template ({@code arm/functionapp.json}), for the Functions host. */
    TEMPLATE("the template"),
    /** Azure itself, on the Function App; never set by hand there. */
    AZURE("Azure");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    /** How {@code docs/settings.md} names it. */
    public String label() {
      return label;
    }
  }

  /**
   * One setting.
   *
   * @param name the exact name, as an environment variable or app setting
   * @param capability what it belongs to
   * @param source who sets it
   * @param secret whether its value is a secret (store it in Key Vault; never shown)
   * @param defaultValue the value the app uses when the setting is absent, written as the setting
   *     would be ({@code PT5S}, {@code 30}, {@code edl}); {@code null} when there is none or it is
   *     not a value (see {@code defaultNote})
   * @param defaultNote the default's unit or meaning ({@code 5 seconds}, {@code days}), or what
   *     happens when the setting is absent (Markdown); {@code null} when {@code defaultValue} says
   *     it all
   * @param localValue the value {@code local.settings.example.json} gives it when that is not the
   *     default; {@code null} otherwise
   * @param local whether {@code local.settings.example.json} lists it
   * @param description one line of Markdown (code in backticks): what it does
   */
  public record Setting(
      String name,
      Capability capability,
      Source source,
      boolean secret,
      String defaultValue,
      String defaultNote,
      String localValue,
      boolean local,
      String description) {

    public Setting {
      Objects.requireNonNull(name, "'name' cannot be null.");
      Objects.requireNonNull(capability, "'capability' cannot be null.");
      Objects.requireNonNull(source, "'source' cannot be null.");
      Objects.requireNonNull(description, "'description' cannot be null.");
    }

    /** The default value and its unit ({@code 30} and {@code days}). */
    Setting defaults(String value, String note) {
      return new Setting(
          name, capability, source, secret, value, note, localValue, local, description);
    }

    /** A default value that needs no unit ({@code edl}, a URL). */
    Setting defaults(String value) {
      return defaults(value, null);
    }

    /** No default value: what happens when the setting is absent. */
    Setting whenAbsent(String note) {
      return defaults(null, note);
    }

    /** A secret: Key Vault, never shown. */
    Setting asSecret() {
      return new Setting(
          name,
          capability,
          source,
          true,
          defaultValue,
          defaultNote,
          localValue,
          local,
          description);
    }

    /** The value {@code local.settings.example.json} gives it (a local run's own). */
    Setting locally(String value) {
      return new Setting(
          name, capability, source, secret, defaultValue, defaultNote, value, true, description);
    }

    /** The value a local run starts from: its own, else the default, else empty. */
    public String exampleValue() {
      if (localValue != null) {
        return localValue;
      }
      return defaultValue != null ? defaultValue : "";
    }
  }

  private static final List<Setting> ALL =
      List.of(
          // ---- State storage ----
          administrator(
                  "AzureWebJobsStorage",
                  Capability.STORAGE,
                  "The Function App's storage account: the Functions host's, the job queue's, and"
                      + " the state's (Table Storage) unless `STATE_STORAGE_CONNECTION` is set. A"
                      + " connection string, or identity-based: `AzureWebJobsStorage__accountName`"
                      + " (or `__tableServiceUri` and `__queueServiceUri`), optionally"
                      + " `__credential` = `managedidentity` with `__clientId` or"
                      + " `__managedIdentityResourceId`.")
              .asSecret()
              .whenAbsent(
                  "Azurite's development storage on a developer machine; in Azure, a health error")
              .locally("UseDevelopmentStorage=true"),
          administrator(
                  "STATE_STORAGE_CONNECTION",
                  Capability.STORAGE,
                  "A separate storage account for the state tables (ledger, ticket links, jobs),"
                      + " in the same forms as `AzureWebJobsStorage`"
                      + " (`STATE_STORAGE_CONNECTION__tableServiceUri`, ...).")
              .asSecret()
              .whenAbsent("`AzureWebJobsStorage` holds the state"),

          // ---- Azure identity (Azure Identity's standard variables) ----
          azure(
                  "IDENTITY_ENDPOINT",
                  Capability.AZURE_IDENTITY,
                  "The App Service managed identity endpoint, set by Azure when the app has a"
                      + " managed identity; locally, a token endpoint to test against.")
              .whenAbsent("no managed identity")
              .locally(""),
          azure(
                  "IDENTITY_HEADER",
                  Capability.AZURE_IDENTITY,
                  "The header value that endpoint requires, set by Azure with"
                      + " `IDENTITY_ENDPOINT`.")
              .asSecret()
              .whenAbsent("no managed identity")
              .locally(""),
          administrator(
                  "AZURE_CLIENT_ID",
                  Capability.AZURE_IDENTITY,
                  "With `AZURE_TENANT_ID` and a secret or certificate: the service principal the"
                      + " app signs in as; with a managed identity: which user-assigned identity.")
              .whenAbsent("the system-assigned managed identity"),
          administrator(
                  "AZURE_TENANT_ID",
                  Capability.AZURE_IDENTITY,
                  "The Microsoft Entra tenant of the service principal.")
              .whenAbsent("none"),
          administrator(
                  "AZURE_CLIENT_SECRET",
                  Capability.AZURE_IDENTITY,
                  "The service principal's client secret.")
              .asSecret()
              .whenAbsent("none"),
          administrator(
                  "AZURE_CLIENT_CERTIFICATE_PATH",
                  Capability.AZURE_IDENTITY,
                  "A PEM or PFX certificate file of the service principal, instead of a secret.")
              .whenAbsent("none"),
          administrator(
                  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
                  Capability.AZURE_IDENTITY,
                  "The password of that certificate file.")
              .asSecret()
              .whenAbsent("none"),
          administrator(
                  "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
                  Capability.AZURE_IDENTITY,
                  "`true` to send the certificate chain (subject name/issuer authentication).")
              .defaults("false"),
          administrator(
                  "AZURE_USERNAME",
                  Capability.AZURE_IDENTITY,
                  "Azure Identity's username/password sign-in (not recommended: no MFA).")
              .whenAbsent("none"),
          administrator(
                  "AZURE_PASSWORD",
                  Capability.AZURE_IDENTITY,
                  "The password of" + " `AZURE_USERNAME`.")
              .asSecret()
              .whenAbsent("none"),
          administrator(
                  "AZURE_AUTHORITY_HOST",
                  Capability.AZURE_IDENTITY,
                  "The Microsoft Entra authority of a sovereign cloud, e.g."
                      + " `https://login.microsoftonline.us`.")
              .whenAbsent("the public cloud's"),
          administrator(
                  "AZURE_REGIONAL_AUTHORITY_NAME",
                  Capability.AZURE_IDENTITY,
                  "A regional Microsoft Entra endpoint for the service principal's tokens.")
              .whenAbsent("none"),
          administrator(
                  "AZURE_IDENTITY_DISABLE_CP1",
                  Capability.AZURE_IDENTITY,
                  "`true` to turn off Azure Identity's client capability CP1 (continuous access"
                      + " evaluation).")
              .defaults("false"),
          administrator(
                  "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
                  Capability.AZURE_IDENTITY,
                  "Other tenants the credential may get tokens for (`;`-separated, or `*`).")
              .whenAbsent("none"),
          administrator(
                  "AZURE_TOKEN_CREDENTIALS",
                  Capability.AZURE_IDENTITY,
                  "Narrows `DefaultAzureCredential` to one kind of credential (`dev`, `prod`, or a"
                      + " credential's name).")
              .whenAbsent("every kind, in Azure Identity's order"),
          azure(
                  "MSI_ENDPOINT",
                  Capability.AZURE_IDENTITY,
                  "The older App Service managed identity endpoint, set by Azure on older hosts.")
              .whenAbsent("none"),
          azure("MSI_SECRET", Capability.AZURE_IDENTITY, "The secret `MSI_ENDPOINT` requires.")
              .asSecret()
              .whenAbsent("none"),
          azure(
                  "IDENTITY_SERVER_THUMBPRINT",
                  Capability.AZURE_IDENTITY,
                  "The Service Fabric managed identity endpoint's certificate thumbprint.")
              .whenAbsent("none"),
          azure(
                  "IMDS_ENDPOINT",
                  Capability.AZURE_IDENTITY,
                  "The Azure Arc instance metadata endpoint.")
              .whenAbsent("the Azure VM metadata endpoint"),
          azure(
                  "AZURE_FEDERATED_TOKEN_FILE",
                  Capability.AZURE_IDENTITY,
                  "The workload identity token file, set by Azure Kubernetes Service.")
              .whenAbsent("no workload identity"),
          azure(
                  "AZURE_POD_IDENTITY_TOKEN_URL",
                  Capability.AZURE_IDENTITY,
                  "The AKS pod identity endpoint (deprecated by Azure).")
              .whenAbsent("none"),

          // ---- GeoIP ----
          administrator(
                  "GEOIP_CITY_DB",
                  Capability.GEOIP,
                  "The MaxMind DB file for locations: GeoIP2/GeoLite2 City or Country (DB-IP and"
                      + " ip-location-db `.mmdb` files work too), read into memory.")
              .whenAbsent(
                  "`.local/geoip/GeoLite2-City.mmdb` under the working directory (run-local"
                      + " fetches it)")
              .locally(".local/geoip/GeoLite2-City.mmdb"),
          administrator(
                  "GEOIP_ASN_DB",
                  Capability.GEOIP,
                  "The MaxMind DB file for autonomous systems: GeoLite2/GeoIP2 ASN (or ISP).")
              .whenAbsent("none: ASN answers say not configured"),
          administrator(
                  "GEOIP_STALE_AFTER_DAYS",
                  Capability.GEOIP,
                  "Databases older than this are flagged stale in answers and health.")
              .defaults("30", "days"),
          administrator(
                  "GEOIP_CHECK_INTERVAL",
                  Capability.GEOIP,
                  "How often each instance checks, on use, whether its GeoIP files changed; a"
                      + " changed file replaces the one in use only once it loads.")
              .defaults("PT5M", "5 minutes"),

          // ---- RDAP ----
          administrator(
                  "RDAP_BOOTSTRAP_URL",
                  Capability.RDAP,
                  "Base of the IANA RDAP bootstrap files (`ipv4.json`, `ipv6.json`, `dns.json`),"
                      + " fetched at most once a day.")
              .defaults("https://data.iana.org/rdap/"),
          administrator(
                  "RDAP_ALLOW_INSECURE",
                  Capability.RDAP,
                  "Allow http and loopback RDAP servers: local fakes and tests only; otherwise"
                      + " every RDAP URL, redirects included, must be https to a public address.")
              .defaults("false"),
          administrator(
                  "RDAP_CONNECT_TIMEOUT", Capability.RDAP, "Connect timeout of one RDAP call.")
              .defaults("PT5S", "5 seconds"),
          administrator("RDAP_READ_TIMEOUT", Capability.RDAP, "Read timeout of one RDAP call.")
              .defaults("PT10S", "10 seconds"),
          administrator(
                  "RDAP_CALL_TIMEOUT", Capability.RDAP, "Whole-call timeout of one RDAP call.")
              .defaults("PT15S", "15 seconds"),
          administrator(
                  "RDAP_MAX_CONCURRENCY",
                  Capability.RDAP,
                  "RDAP lookups in flight per instance: a batch costs one call per registered"
                      + " network, asked in rounds of parallel calls.")
              .defaults("8", "lookups at once"),
          administrator(
                  "RDAP_RATE_LIMIT_PER_SECOND",
                  Capability.RDAP,
                  "Calls a second to one RDAP server, shared by every instance (a row of the"
                      + " `UpstreamBudgets` table).")
              .defaults("10", "calls a second per server"),
          administrator(
                  "ENRICH_WHOIS_BUDGET",
                  Capability.RDAP,
                  "Time one `EnrichIpAddresses` or `EnrichDomains` batch may spend on RDAP; items"
                      + " not done by then say so.")
              .defaults("PT25S", "25 seconds"),

          // ---- Incident enrichment ----
          administrator(
                  "ENRICH_INCIDENT_DEADLINE",
                  Capability.INCIDENT_ENRICHMENT,
                  "Time all of one `EnrichIncident` call's lookups may take together, at most"
                      + " `PT100S` (in a job: 3 minutes).")
              .defaults("PT45S", "45 seconds"),

          // ---- Block and allow ----
          administrator(
                  "BLOCK_PROVIDERS",
                  Capability.BLOCKING,
                  "Enforcement points in use, comma-separated: `edl`, `defender` (`panos` is in use"
                      + " once its URL and key are set, `entra-named-location` once"
                      + " `ENTRA_NAMED_LOCATION_ID` is).")
              .defaults("edl"),
          administrator(
                  "BLOCK_DEFAULT_PROVIDER",
                  Capability.BLOCKING,
                  "The enforcement point a block, allow or unblock without `provider` uses.")
              .defaults("edl"),
          administrator(
                  "PROTECTED_INDICATORS",
                  Capability.BLOCKING,
                  "CIDRs, IPs and domains never to block, comma or space separated: a network"
                      + " protects every address and network in it; a domain itself, its"
                      + " subdomains, URLs on them and its parent domains.")
              .whenAbsent("nothing protected"),
          administrator(
                  "FEED_TOKEN",
                  Capability.BLOCKING,
                  "The secret a firewall presents to pull a feed (`?token=` or the basic-auth"
                      + " password).")
              .asSecret()
              .whenAbsent("feeds off (404)"),
          administrator(
                  "LEDGER_RETENTION_DAYS",
                  Capability.BLOCKING,
                  "How long ledger rows that enforce nothing (lifted, expired, failed, refused, dry"
                      + " runs, notes) are kept after their last change, with their history.")
              .defaults("365", "days"),

          // ---- TAXII server ----
          administrator(
                  "TAXII_USER",
                  Capability.TAXII,
                  "The user name a TAXII client (Sentinel's \"Threat intelligence - TAXII\" data"
                      + " connector) presents, with `TAXII_PASSWORD`, to read the blocks as STIX"
                      + " indicators.")
              .whenAbsent("TAXII server off (404)"),
          administrator("TAXII_PASSWORD", Capability.TAXII, "The TAXII user's password.")
              .asSecret()
              .whenAbsent("TAXII server off (404)"),

          // ---- Defender for Endpoint ----
          administrator(
                  "DEFENDER_API_URL",
                  Capability.DEFENDER,
                  "The Defender for Endpoint API (a regional one such as"
                      + " `https://eu.api.security.microsoft.com` works too); https only.")
              .defaults("https://api.securitycenter.microsoft.com"),

          // ---- PAN-OS ----
          administrator(
                  "PANOS_URL",
                  Capability.PANOS,
                  "The PAN-OS firewall's or Panorama's XML API base URL (https); with"
                      + " `PANOS_API_KEY` it puts provider `panos` in use.")
              .whenAbsent("provider `panos` off"),
          administrator(
                  "PANOS_API_KEY",
                  Capability.PANOS,
                  "The PAN-OS API key, sent only as the `X-PAN-KEY` header.")
              .asSecret()
              .whenAbsent("provider `panos` off"),
          administrator(
                  "PANOS_BLOCK_TAG",
                  Capability.PANOS,
                  "The User-ID tag registered on blocked addresses; a dynamic address group"
                      + " matching it feeds a deny rule.")
              .defaults("soc-actions-block"),

          // ---- Microsoft Entra ID ----
          administrator(
                  "GRAPH_URL",
                  Capability.ENTRA_ID,
                  "Microsoft Graph (accounts, Identity Protection, named locations), called with"
                      + " the app's Azure identity.")
              .defaults("https://graph.microsoft.com"),
          administrator(
                  "PROTECTED_ACCOUNTS",
                  Capability.ENTRA_ID,
                  "UPNs or object ids never disabled, revoked or confirmed compromised"
                      + " (break-glass accounts), comma-separated.")
              .whenAbsent("none"),
          administrator(
                  "GRAPH_PRIVILEGED_ROLES",
                  Capability.ENTRA_ID,
                  "Directory roles (display names, comma-separated, built-in or custom) whose"
                      + " members, active or eligible through PIM, need a justified override.")
              .defaults(
                  "Global Administrator,Privileged Role Administrator,Security Administrator,User"
                      + " Administrator,Privileged Authentication Administrator,Exchange"
                      + " Administrator,SharePoint Administrator,Conditional Access"
                      + " Administrator,Application Administrator,Cloud Application"
                      + " Administrator"),
          administrator(
                  "CONNECTOR_OBJECT_ID",
                  Capability.ENTRA_ID,
                  "The object id of the connector's own identity, which it never disables.")
              .whenAbsent("the `oid` of the app's Graph token"),
          administrator(
                  "ENTRA_NAMED_LOCATION_ID",
                  Capability.ENTRA_ID,
                  "The id (GUID) of the IP named location a Conditional Access policy blocks; with"
                      + " an Azure identity it puts provider `entra-named-location` in use.")
              .whenAbsent("provider `entra-named-location` off"),

          // ---- CMDB ----
          administrator(
                  "CMDB_DEFAULT_PROVIDER",
                  Capability.CMDB,
                  "The CMDB a lookup without `provider` asks (`builtin` or `servicenow`), and the"
                      + " one the block guardrail and `EnrichIncident` ask.")
              .defaults("builtin"),
          administrator(
                  "CMDB_ASSETS_CSV",
                  Capability.CMDB,
                  "The built-in CMDB's assets: a UTF-8 CSV file with a header row.")
              .whenAbsent("the sample assets shipped in the app (Contoso: 51 assets)"),
          administrator(
                  "CMDB_ACCOUNTS_CSV",
                  Capability.CMDB,
                  "The built-in CMDB's accounts: a UTF-8 CSV file with a header row.")
              .whenAbsent("the sample accounts shipped in the app (Contoso: 21 accounts)"),
          administrator(
                  "CMDB_CHECK_INTERVAL",
                  Capability.CMDB,
                  "How often the built-in CMDB checks its files for changes.")
              .defaults("PT1M", "1 minute"),
          administrator(
                  "SERVICENOW_CMDB_FIELD_MAP",
                  Capability.CMDB,
                  "CMDB provider `servicenow`: `contract_field=servicenow_field` pairs over the"
                      + " defaults (dot-walks allowed; an empty right side unmaps a field).")
              .defaults(
                  "criticality=busines_criticality,is_hva=u_hva,owner_name=owned_by,"
                      + "owner_email=owned_by.email,support_group=support_group,location=location,"
                      + "os=os,class=sys_class_name,environment=used_for"),
          administrator(
                  "SERVICENOW_READINESS_TIMEOUT",
                  Capability.CMDB,
                  "How long the ServiceNow health check may take (one `sys_user` row, one"
                      + " attempt).")
              .defaults("PT5S", "5 seconds"),

          // ---- ServiceNow ----
          administrator(
                  "SERVICENOW_URL",
                  Capability.SERVICENOW,
                  "The ServiceNow instance (`https://<name>.service-now.com`), for the CMDB and"
                      + " ticket sync; with one sign-in it puts provider `servicenow` in use.")
              .whenAbsent("provider `servicenow` off"),
          administrator(
                  "SERVICENOW_USER",
                  Capability.SERVICENOW,
                  "Basic auth: the integration user (with `SERVICENOW_PASSWORD`; or OAuth, not"
                      + " both).")
              .whenAbsent("none"),
          administrator("SERVICENOW_PASSWORD", Capability.SERVICENOW, "Basic auth: its password.")
              .asSecret()
              .whenAbsent("none"),
          administrator(
                  "SERVICENOW_CLIENT_ID",
                  Capability.SERVICENOW,
                  "OAuth client credentials: the client id (tokens from `/oauth_token.do`, reused"
                      + " until shortly before they expire).")
              .whenAbsent("none"),
          administrator(
                  "SERVICENOW_CLIENT_SECRET",
                  Capability.SERVICENOW,
                  "OAuth client credentials: the client secret.")
              .asSecret()
              .whenAbsent("none"),
          administrator(
                  "SERVICENOW_TICKET_TABLE",
                  Capability.SERVICENOW,
                  "The table tickets live in (`sn_si_incident` for Security Incident Response,"
                      + " with its own state map).")
              .defaults("incident"),
          administrator(
                  "SERVICENOW_PRIORITY_MAP",
                  Capability.SERVICENOW,
                  "Sentinel severity to ServiceNow impact/urgency.")
              .defaults("High=1/1,Medium=2/2,Low=3/2,Informational=3/3"),
          administrator(
                  "SERVICENOW_STATE_MAP",
                  Capability.SERVICENOW,
                  "Sentinel status to ServiceNow `state`.")
              .defaults("New=1,Active=2,Closed=6"),
          administrator(
                  "SERVICENOW_CLOSED_STATES",
                  Capability.SERVICENOW,
                  "ServiceNow states that mean the ticket is closed (Resolved, Closed, Canceled).")
              .defaults("6,7,8"),
          administrator(
                  "SERVICENOW_CLOSE_CODE_MAP",
                  Capability.SERVICENOW,
                  "Classification to `close_code` when an incident closes, and back for tickets"
                      + " resolved in ServiceNow (the first classification with that code; unknown"
                      + " codes: Undetermined).")
              .defaults(
                  "TruePositive=Solution provided,BenignPositive=Resolved by caller,"
                      + "FalsePositive=No resolution provided,Undetermined=No resolution provided"),
          administrator(
                  "SERVICENOW_WEBHOOK_SECRET",
                  Capability.SERVICENOW,
                  "The secret that signs the business rule's calls to `TicketInbound`.")
              .asSecret()
              .whenAbsent("inbound webhook off (422); the catch-up poll still applies changes"),

          // ---- Jira Cloud ----
          administrator(
                  "JIRA_URL",
                  Capability.JIRA,
                  "The Jira Cloud site (`https://<site>.atlassian.net`); with `JIRA_EMAIL`,"
                      + " `JIRA_API_TOKEN` and `JIRA_PROJECT` it puts provider `jira` in use.")
              .whenAbsent("provider `jira` off"),
          administrator(
                  "JIRA_EMAIL",
                  Capability.JIRA,
                  "The integration account's e-mail (basic auth with the API token).")
              .whenAbsent("none"),
          administrator("JIRA_API_TOKEN", Capability.JIRA, "The integration account's API token.")
              .asSecret()
              .whenAbsent("none"),
          administrator(
                  "JIRA_PROJECT",
                  Capability.JIRA,
                  "The project key tickets go to (`SyncTicket`'s `project` option overrides it).")
              .whenAbsent("none"),
          administrator(
                  "JIRA_ISSUE_TYPE",
                  Capability.JIRA,
                  "Issue type of new tickets (`SyncTicket`'s `issue_type` option overrides it).")
              .defaults("Task"),
          administrator("JIRA_PRIORITY_MAP", Capability.JIRA, "Sentinel severity to Jira priority.")
              .defaults("High=High,Medium=Medium,Low=Low,Informational=Lowest"),
          administrator(
                  "JIRA_STATUS_MAP",
                  Capability.JIRA,
                  "Sentinel status to Jira status names in order of preference and/or one"
                      + " `category:<new|indeterminate|done>`, separated by `|` (e.g."
                      + " `Closed=Resolved|category:done`).")
              .defaults("New=category:new,Active=category:indeterminate,Closed=category:done"),
          administrator(
                  "JIRA_RESOLUTION_MAP",
                  Capability.JIRA,
                  "Jira resolution to Sentinel classification for issues closed in Jira (names"
                      + " compared without case; unknown: Undetermined).")
              .defaults(
                  "Done=TruePositive,Won't Do=FalsePositive,Duplicate=Undetermined,"
                      + "Cannot Reproduce=FalsePositive"),
          administrator(
                  "JIRA_SET_RESOLUTION",
                  Capability.JIRA,
                  "Send a `resolution` when closing, for workflows whose Done screen asks for one.")
              .defaults("false"),
          administrator(
                  "JIRA_WEBHOOK_SECRET",
                  Capability.JIRA,
                  "The secret of the Jira webhook that calls `TicketInbound`.")
              .asSecret()
              .whenAbsent("inbound webhook off (422); the catch-up poll still applies changes"),

          // ---- Microsoft Sentinel ----
          administrator(
                  "SENTINEL_MANAGEMENT_URL",
                  Capability.SENTINEL,
                  "The Sentinel REST API (incidents, comments), api-version 2024-09-01, with the"
                      + " app's Azure identity (Microsoft Sentinel Responder on the workspace).")
              .defaults("https://management.azure.com"),

          // ---- Decisions in Log Analytics ----
          administrator(
                  "LOGS_INGESTION_ENDPOINT",
                  Capability.DECISIONS,
                  "The data collection rule's logs ingestion endpoint (or a data collection"
                      + " endpoint's): with `LOGS_INGESTION_RULE_ID`, every decision also goes to"
                      + " Log Analytics. The deployment sets all three (`DecisionsToLogAnalytics`,"
                      + " or `arm/logs-ingestion.json` alone).")
              .whenAbsent("decisions are not sent"),
          administrator(
                  "LOGS_INGESTION_RULE_ID",
                  Capability.DECISIONS,
                  "The data collection rule's immutable id (`dcr-` and 32 hex digits).")
              .whenAbsent("decisions are not sent"),
          administrator(
                  "LOGS_INGESTION_STREAM",
                  Capability.DECISIONS,
                  "The rule's stream the decisions go to.")
              .defaults("Custom-SOCActions_CL"),

          // ---- Long work ----
          administrator(
                  "JOBS_SYNC_BUDGET",
                  Capability.JOBS,
                  "The work a call may take on before it answers `202` and runs as a job (at most"
                      + " `PT90S`).")
              .defaults("PT60S", "60 seconds"),
          administrator(
                  "JOBS_RETENTION",
                  Capability.JOBS,
                  "How long a job and its answer are kept after the request (`PT1H` to `P30D`);"
                      + " `GetJob` answers 404 after it.")
              .defaults("PT24H", "24 hours"),
          administrator(
                  "JOBS_QUEUE",
                  Capability.JOBS,
                  "The job queue's name: only for tests and for two local apps sharing one storage"
                      + " emulator (the deployed worker listens on `soc-actions-jobs`).")
              .defaults("soc-actions-jobs"),

          // ---- Azure Functions host ----
          administrator(
                  "FUNCTIONS_WORKER_RUNTIME",
                  Capability.FUNCTIONS_HOST,
                  "The language worker the Functions host starts (Core Tools reads it locally; the"
                      + " template sets it on Elastic Premium).")
              .defaults("java"),
          template(
                  "FUNCTIONS_EXTENSION_VERSION",
                  Capability.FUNCTIONS_HOST,
                  "The Functions runtime version (Elastic Premium).")
              .defaults("~4"),
          template(
                  "APPLICATIONINSIGHTS_CONNECTION_STRING",
                  Capability.FUNCTIONS_HOST,
                  "Where the Functions host sends logs and metrics: the deployment's Application"
                      + " Insights.")
              .asSecret()
              .whenAbsent("no Application Insights"),
          template(
                  "WEBSITE_CONTENTSHARE",
                  Capability.FUNCTIONS_HOST,
                  "The file share holding the app's content (Elastic Premium).")
              .whenAbsent("none"),
          template(
                  "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
                  Capability.FUNCTIONS_HOST,
                  "The storage account of that file share (Elastic Premium).")
              .asSecret()
              .whenAbsent("none"),
          template(
                  "DEPLOYMENT_STORAGE_CONNECTION_STRING",
                  Capability.FUNCTIONS_HOST,
                  "The storage account of the Flex Consumption deployment container the package is"
                      + " copied to.")
              .asSecret()
              .whenAbsent("none"),
          administrator(
                  "WEBSITE_TIME_ZONE",
                  Capability.FUNCTIONS_HOST,
                  "Time zone of the timer schedules, as in Azure; the local host honours it too.")
              .defaults("UTC"),
          azure(
                  "WEBSITE_INSTANCE_ID",
                  Capability.FUNCTIONS_HOST,
                  "Set by Azure on every instance; the app takes it as a sign it runs in Azure (no"
                      + " development storage there).")
              .whenAbsent("not in Azure"),
          azure(
                  "WEBSITE_SITE_NAME",
                  Capability.FUNCTIONS_HOST,
                  "The app's name, set by Azure; read like `WEBSITE_INSTANCE_ID`.")
              .whenAbsent("not in Azure"),

          // ---- Local host ----
          administrator(
                  "LOCAL_FUNCTION_KEY",
                  Capability.LOCAL_HOST,
                  "The function key the local host accepts.")
              .asSecret()
              .whenAbsent("generated and printed at start"),
          administrator("LOCAL_HOST_PORT", Capability.LOCAL_HOST, "The local host's port.")
              .defaults("7071"));

  private static final Map<String, Setting> BY_NAME = index(ALL);

  private SettingsCatalog() {}

  /** Every setting, grouped by capability in {@link Capability} order. */
  public static List<Setting> all() {
    return ALL;
  }

  /** The setting of this exact name. */
  public static Optional<Setting> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The settings of one capability, in catalog order. */
  public static List<Setting> of(Capability capability) {
    return ALL.stream().filter(setting -> setting.capability() == capability).toList();
  }

  /** An app setting the administrator sets; listed in {@code local.settings.example.json}. */
  private static Setting administrator(String name, Capability capability, String description) {
    return new Setting(
        name, capability, Source.ADMINISTRATOR, false, null, null, null, true, description);
  }

  /** Written by {@code arm/functionapp.json} for the Functions host; not for a local run. */
  private static Setting template(String name, Capability capability, String description) {
    return new Setting(
        name, capability, Source.TEMPLATE, false, null, null, null, false, description);
  }

  /** Set by Azure on the Function App; not for a local run unless {@link Setting#locally}. */
  private static Setting azure(String name, Capability capability, String description) {
    return new Setting(name, capability, Source.AZURE, false, null, null, null, false, description);
  }

  private static Map<String, Setting> index(List<Setting> settings) {
    Map<String, Setting> byName = new LinkedHashMap<>();
    for (Setting setting : settings) {
      if (byName.put(setting.name(), setting) != null) {
        throw new IllegalStateException("Setting " + setting.name() + " is listed twice");
      }
    }
    int last = -1;
    for (Setting setting : settings) {
      int position = Arrays.asList(Capability.values()).indexOf(setting.capability());
      if (position < last) {
        throw new IllegalStateException(
            "Setting " + setting.name() + " is outside its capability's group");
      }
      last = position;
    }
    return Map.copyOf(byName);
  }
}
