package com.socactions.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.socactions.platform.HtmlTable;
import com.socactions.sentinel.ArmIncidentId;
import com.socactions.sentinel.Incidents;
import com.socactions.tickets.InboundResult;
import com.socactions.tickets.IncidentTickets;
import com.socactions.tickets.TicketInboundService;
import com.socactions.tickets.TicketContent;
import com.socactions.tickets.TicketLink;
import com.socactions.tickets.TicketSyncService.SyncOptions;
import com.socactions.tickets.TicketSystem;
import com.socactions.tickets.TicketWebhooks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/** HTTP operations of ticket sync: outbound sync, the link of an incident, inbound webhooks, and the catch-up poll. */
public class TicketFunctions {
  private final AppServices services;

  public TicketFunctions(AppServices services) {
    this.services = services;
  }

  @FunctionName("SyncTicket")
  public HttpResponseMessage syncTicket(
      @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "v1/tickets/sync",
          authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(request, context, call -> {
      JsonNode body = call.jsonObjectBody();
      String system = BodyFields.text(body, "system").orElseThrow(() -> ProblemException.invalidField("system",
          "required: servicenow or jira"));
      SyncOptions options = options(body.get("options"));
      services.tickets().sync().system(system); // an unknown or unconfigured system fails before anything is read
      TicketContent content = IncidentTickets.contentOf(Incidents.parse(body.get("incident"), "incident"));
      if (options.copyComments() && !Incidents.carriesComments(body.get("incident"))) {
        content = services.tickets().comments().withComments(content);
      }
      return call.ok(services.tickets().sync().sync(content, system, options));
    });
  }

  @FunctionName("GetTicket")
  public HttpResponseMessage getTicket(
      @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "v1/tickets",
          authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(request, context, call -> {
      String incidentId = call.query("incident_id").orElseThrow(() -> ProblemException.invalidField("incident_id",
          "required: the incident's ARM resource id"));
      String id = ArmIncidentId.parse(incidentId).resourceId();
      List<TicketLinkView> tickets = new ArrayList<>();
      for (TicketSystem system : systems(call.query("system"))) {
        services.tickets().sync().link(system.id(), id).filter(TicketLink::isLinked).map(TicketLinkView::of).ifPresent(tickets::add);
      }
      return call.ok(TicketLookup.of(id, tickets));
    });
  }

  @FunctionName("TicketInbound")
  public HttpResponseMessage ticketInbound(
      @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "v1/tickets/inbound/{system}",
          authLevel = AuthorizationLevel.FUNCTION, dataType = "binary") HttpRequestMessage<Optional<byte[]>> request,
      @BindingName("system") String system,
      ExecutionContext context) {
    return Invocation.handle(request, context, call -> {
      call.requireJsonContentType();
      byte[] raw = call.rawBody();
      TicketWebhooks.Delivery delivery = services.tickets().webhooks().verify(system, raw, call::header);
      if (delivery.refused() != null) {
        // Empty, like the host's own 401: a caller without the secret learns nothing about why.
        call.log(Level.WARNING, "Refused a " + system + " webhook: " + delivery.refused() + "; nothing was changed");
        return call.respond(401, "text/plain; charset=utf-8", "");
      }
      if (delivery.ticketId() == null) {
        return call.ok(new InboundResult(system, null, null, InboundResult.IGNORED, List.of()));
      }
      return call.ok(services.tickets().webhooks().apply(delivery));
    });
  }

  /** Catches up with ticket changes whose webhook was lost: every 5 minutes, each configured system. */
  @FunctionName("CatchUpTickets")
  public void catchUpTickets(
      @TimerTrigger(name = "timer", schedule = "30 */5 * * * *") String timerInfo,
      ExecutionContext context) {
    TicketInboundService inbound = services.tickets().inbound();
    for (TicketSystem system : inbound.systems()) {
      if (!system.isConfigured()) {
        continue;
      }
      try {
        TicketInboundService.PollResult result = inbound.poll(system);
        long applied = result.results().stream().filter(r -> r.action().equals(InboundResult.APPLIED)).count();
        context.getLogger().info("Ticket catch-up of " + system.id() + " from " + result.readFrom() + ": "
            + result.results().size() + " linked tickets changed, " + applied + " applied to incidents");
      } catch (RuntimeException e) {
        context.getLogger().log(Level.WARNING, "Ticket catch-up of " + system.id() + " failed; the next run reads the "
            + "same window again: " + e.getMessage());
      }
    }
  }

  private List<TicketSystem> systems(Optional<String> only) {
    List<TicketSystem> all = services.tickets().inbound().systems().stream().filter(TicketSystem::isConfigured).toList();
    if (only.isEmpty()) {
      return all;
    }
    return List.of(services.tickets().sync().system(only.get()));
  }

  /** {@code options}: {@code comments} (copy incident comments, default true) and the system's create options. */
  private static SyncOptions options(JsonNode options) {
    if (options == null || options.isNull()) {
      return SyncOptions.defaults();
    }
    if (!options.isObject()) {
      throw ProblemException.invalidField("options", "must be an object");
    }
    boolean comments = !options.has("comments") || BodyFields.flag(options, "comments");
    Map<String, String> create = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = options.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("comments")) {
        continue;
      }
      if (!field.getValue().isTextual() || field.getValue().asText().isBlank() || field.getValue().asText().length() > 200) {
        throw ProblemException.invalidField("options." + field.getKey(), "must be a text of 1 to 200 characters");
      }
      create.put(field.getKey(), field.getValue().asText());
    }
    return new SyncOptions(comments, create);
  }

  /** One link as GetTicket shows it. */
  record TicketLinkView(
      String system,
      @JsonProperty("ticket_id") String ticketId,
      @JsonProperty("ticket_number") String ticketNumber,
      String url,
      @JsonProperty("last_synced_at") Instant lastSyncedAt,
      @JsonProperty("last_inbound_at") Instant lastInboundAt,
      @JsonProperty("last_inbound_status") String lastInboundStatus) {

    static TicketLinkView of(TicketLink link) {
      return new TicketLinkView(link.system(), link.ticket().id(), link.ticket().number(), link.ticket().url(),
          link.lastSyncedAt(), link.lastInboundAt(), link.lastInboundStatus());
    }
  }

  /** GetTicket's answer: the first linked ticket's fields at the top, for the designer, and all of them. */
  record TicketLookup(
      @JsonProperty("incident_id") String incidentId,
      boolean found,
      String system,
      @JsonProperty("ticket_id") String ticketId,
      @JsonProperty("ticket_number") String ticketNumber,
      String url,
      List<TicketLinkView> tickets,
      @JsonProperty("comment_html") String commentHtml) {

    static TicketLookup of(String incidentId, List<TicketLinkView> tickets) {
      if (tickets.isEmpty()) {
        return new TicketLookup(incidentId, false, null, null, null, null, tickets, "<p>No ticket is linked to this incident.</p>");
      }
      TicketLinkView first = tickets.get(0);
      StringBuilder html = new StringBuilder("<p>Linked tickets: ");
      for (int i = 0; i < tickets.size(); i++) {
        TicketLinkView ticket = tickets.get(i);
        String name = HtmlTable.escape(ticket.system() + " " + (ticket.ticketNumber() == null ? ticket.ticketId() : ticket.ticketNumber()));
        html.append(i == 0 ? "" : ", ").append(ticket.url() == null ? name
            : "<a href=\"" + HtmlTable.escape(ticket.url()) + "\">" + name + "</a>");
      }
      return new TicketLookup(incidentId, true, first.system(), first.ticketId(), first.ticketNumber(), first.url(), tickets,
          html.append(".</p>").toString());
    }
  }
}
