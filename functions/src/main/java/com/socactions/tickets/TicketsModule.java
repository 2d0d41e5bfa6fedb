package com.socactions.tickets;

import com.google.common.base.Suppliers;
import com.socactions.decisions.DecisionLog;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.providers.Provider;
import com.socactions.sentinel.SentinelClient;
import com.socactions.servicenow.ServiceNowModule;
import com.socactions.tickets.jira.JiraClient;
import com.socactions.tickets.jira.JiraSettings;
import com.socactions.tickets.jira.JiraWebhook;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ticket capability, wired from the settings: the ticket systems (ServiceNow, Jira), the link
 * table, and the outbound and inbound services. Storage and the upstream clients are touched on
 * first use only.
 */
public final class TicketsModule {
  private final Settings settings;
  private final List<TicketSystem> systems;
  private final Supplier<TicketSyncService> sync;
  private final Supplier<TicketInboundService> inbound;
  private final Supplier<TicketLinks> links;
  private final TicketWebhooks webhooks;
  private final IncidentCommentReader comments;

  /**
   * @param credentials the app's Azure identity (Sentinel's comments are read with it)
   * @param systems the ticket systems ({@link #defaultSystems})
   */
  public TicketsModule(
      Settings settings,
      Clock clock,
      Supplier<TableStorage> storage,
      Supplier<SentinelClient> sentinel,
      AzureCredentials credentials,
      List<TicketSystem> systems,
      DecisionLog decisions) {
    this.settings = settings;
    this.systems = List.copyOf(systems);
    this.links = Suppliers.memoize(() -> new TicketLinks(storage.get()));
    this.sync =
        Suppliers.memoize(
            () ->
                new TicketSyncService(this.systems, links.get(), clock, Sleeper.SYSTEM)
                    .decisionLog(decisions)
                    .commentReader(comments()));
    this.inbound =
        Suppliers.memoize(
            () ->
                new TicketInboundService(this.systems, links.get(), sentinel, clock)
                    .decisionLog(decisions));
    this.webhooks = webhooks(settings, clock, inbound, links);
    this.comments = new IncidentCommentReader(sentinel, credentials::isConfigured);
  }

  /**
   * The inbound webhooks: a system's verifier exists when its secret is set ({@value
   * JiraWebhook#SECRET_SETTING}, {@value ServiceNowWebhook#SECRET_SETTING}; a blank one is unset).
   */
  static TicketWebhooks webhooks(
      Settings settings,
      Clock clock,
      Supplier<TicketInboundService> inbound,
      Supplier<TicketLinks> links) {
    return new TicketWebhooks(
        clock,
        inbound,
        links,
        secret(settings, JiraWebhook.SECRET_SETTING).map(JiraWebhook::new),
        secret(settings, ServiceNowWebhook.SECRET_SETTING).map(ServiceNowWebhook::new));
  }

  private static Optional<String> secret(Settings settings, String setting) {
    return settings.get(setting).filter(value -> !value.isBlank());
  }

  /**
   * The systems this build knows: ServiceNow (on the instance the CMDB shares) and Jira Cloud (its
   * client built by the kit on first use, on {@link JiraSettings}).
   */
  public static List<TicketSystem> defaultSystems(
      Settings settings, UpstreamClients kit, ServiceNowModule serviceNow) {
    return List.of(serviceNow(settings, serviceNow), jira(settings, kit));
  }

  /** ServiceNow: tickets on the shared instance, the table and maps parsed on first use. */
  public static ServiceNowTickets serviceNow(Settings settings, ServiceNowModule serviceNow) {
    return new ServiceNowTickets(
        Suppliers.memoize(() -> ServiceNowTickets.Mapping.from(settings)), serviceNow);
  }

  /** Jira Cloud: the client on {@code JIRA_*}, built by the kit on first use; maps likewise. */
  public static JiraTickets jira(Settings settings, UpstreamClients kit) {
    return new JiraTickets(
        JiraSettings.isConfigured(settings),
        settings.get(JiraSettings.PROJECT),
        Suppliers.memoize(() -> JiraTickets.Mapping.from(settings)),
        () ->
            JiraClient.create(
                kit,
                JiraSettings.from(settings),
                UpstreamPolicy.Options.defaults(),
                JiraClient.DEFAULT_SEARCH_PAGE_SIZE));
  }

  public TicketSyncService sync() {
    return sync.get();
  }

  public TicketInboundService inbound() {
    return inbound.get();
  }

  /** Reads comments from Sentinel for incidents that came without them. */
  public IncidentCommentReader comments() {
    return comments;
  }

  public TicketWebhooks webhooks() {
    return webhooks;
  }

  public TicketLinks links() {
    return links.get();
  }

  public Settings settings() {
    return settings;
  }

  public List<Provider> providers() {
    return List.copyOf(systems);
  }
}
