package com.socactions.tickets;

import com.google.common.base.Suppliers;
import com.socactions.decisions.DecisionLog;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableStorage;
import com.socactions.providers.Provider;
import com.socactions.sentinel.SentinelClient;
import java.time.Clock;
import java.util.List;
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

  public TicketsModule(
      Settings settings,
      Clock clock,
      Supplier<TableStorage> storage,
      Supplier<SentinelClient> sentinel,
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
    this.webhooks = new TicketWebhooks(settings, clock, inbound, links);
    this.comments =
        new IncidentCommentReader(sentinel, () -> AzureCredentials.isConfigured(settings));
  }

  /** The systems this build knows: ServiceNow and Jira Cloud. */
  public static List<TicketSystem> defaultSystems(Settings settings, Clock clock) {
    return List.of(
        new ServiceNowTickets(settings, clock, Sleeper.SYSTEM),
        new JiraTickets(settings, clock, Sleeper.SYSTEM));
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
