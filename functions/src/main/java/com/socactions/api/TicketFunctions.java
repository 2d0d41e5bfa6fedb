package com.socactions.api;

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
import com.socactions.sentinel.ArmIncidentId;
import com.socactions.tickets.InboundResult;
import com.socactions.tickets.TicketInboundService;
import com.socactions.tickets.TicketSyncService.SyncOptions;
import com.socactions.tickets.TicketSyncService.SyncRequest;
import com.socactions.tickets.TicketWebhooks;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * HTTP operations of ticket sync: outbound sync, the link of an incident, inbound webhooks, and the
 * catch-up poll.
 */
public class TicketFunctions {
  private final AppServices services;

  public TicketFunctions(AppServices services) {
    this.services = services;
  }

  @FunctionName("SyncTicket")
  public HttpResponseMessage syncTicket(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/tickets/sync",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          JsonNode body = call.jsonObjectBody();
          String system =
              BodyFields.text(body, "system")
                  .orElseThrow(
                      () ->
                          ProblemException.invalidField("system", "required: servicenow or jira"));
          SyncOptions options = options(body.get("options"));
          return call.ok(
              services
                  .tickets()
                  .sync()
                  .sync(new SyncRequest(system, body.get("incident"), options)));
        });
  }

  @FunctionName("GetTicket")
  public HttpResponseMessage getTicket(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "v1/tickets",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          String incidentId =
              call.query("incident_id")
                  .orElseThrow(
                      () ->
                          ProblemException.invalidField(
                              "incident_id", "required: the incident's ARM resource id"));
          String id = ArmIncidentId.parse(incidentId).resourceId();
          return call.ok(services.tickets().sync().lookup(id, call.query("system")));
        });
  }

  @FunctionName("TicketInbound")
  public HttpResponseMessage ticketInbound(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/tickets/inbound/{system}",
              authLevel = AuthorizationLevel.FUNCTION,
              dataType = "binary")
          HttpRequestMessage<Optional<byte[]>> request,
      @BindingName("system") String system,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          call.requireJsonContentType();
          byte[] raw = call.rawBody();
          TicketWebhooks.Delivery delivery =
              services.tickets().webhooks().verify(system, raw, call::header);
          if (delivery.refused() != null) {
            // Empty, like the host's own 401: a caller without the secret learns nothing about why.
            call.log(
                Level.WARNING,
                "Refused a "
                    + system
                    + " webhook: "
                    + delivery.refused()
                    + "; nothing was changed");
            return call.respond(401, "text/plain; charset=utf-8", "");
          }
          if (delivery.ticketId() == null) {
            return call.ok(
                new InboundResult(system, null, null, InboundResult.Action.IGNORED, List.of()));
          }
          return call.ok(services.tickets().webhooks().apply(delivery));
        });
  }

  /**
   * Catches up with ticket changes whose webhook was lost: every 5 minutes, each configured system.
   */
  @FunctionName("CatchUpTickets")
  public void catchUpTickets(
      @TimerTrigger(name = "timer", schedule = "30 */5 * * * *") String timerInfo,
      ExecutionContext context) {
    for (TicketInboundService.CatchUp run : services.tickets().inbound().catchUp()) {
      if (run.failure() != null) {
        context
            .getLogger()
            .log(
                Level.WARNING,
                "Ticket catch-up of "
                    + run.system()
                    + " failed; the next run reads the "
                    + "same window again: "
                    + run.failure());
      } else {
        long applied =
            run.poll().results().stream()
                .filter(r -> r.action() == InboundResult.Action.APPLIED)
                .count();
        context
            .getLogger()
            .info(
                "Ticket catch-up of "
                    + run.system()
                    + " from "
                    + run.poll().readFrom()
                    + ": "
                    + run.poll().results().size()
                    + " linked tickets changed, "
                    + applied
                    + " applied to incidents");
      }
    }
  }

  /**
   * {@code options}: {@code comments} (copy incident comments, default true) and the system's
   * create options.
   */
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
      if (!field.getValue().isTextual()
          || field.getValue().asText().isBlank()
          || field.getValue().asText().length() > 200) {
        throw ProblemException.invalidField(
            "options." + field.getKey(), "must be a text of 1 to 200 characters");
      }
      create.put(field.getKey(), field.getValue().asText());
    }
    return new SyncOptions(comments, create);
  }
}
