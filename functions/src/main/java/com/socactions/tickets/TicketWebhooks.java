package com.socactions.tickets;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Digests;
import com.socactions.platform.InvalidInputException;
import com.socactions.tickets.jira.JiraWebhook;
import com.socactions.tickets.jira.JiraWebhookEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Inbound webhooks: each system's signature checked over the raw bytes before anything parses them,
 * replays recognised, and the named ticket handed to {@link TicketInboundService}.
 *
 * <ul>
 *   <li>{@code jira}: Jira Cloud admin webhooks ({@link JiraWebhook}: HMAC-SHA256 in {@code
 *       X-Hub-Signature}, replays by {@code X-Atlassian-Webhook-Identifier});
 *   <li>{@code servicenow}: the business rule's signed message ({@link ServiceNowWebhook}:
 *       timestamp window, the signature is the delivery id).
 * </ul>
 *
 * <p>A system whose secret is not set has inbound off: its webhook answers 422 naming the setting.
 */
public final class TicketWebhooks {
  private final Clock clock;
  private final Supplier<TicketInboundService> inbound;
  private final Supplier<TicketLinks> links;
  private final Supplier<Optional<JiraWebhook>> jira;
  private final Supplier<Optional<ServiceNowWebhook>> serviceNow;

  /**
   * @param jira the verifier of {@code JIRA_WEBHOOK_SECRET}; empty when it is not set
   * @param serviceNow the verifier of {@code SERVICENOW_WEBHOOK_SECRET}; empty when it is not set
   */
  public TicketWebhooks(
      Clock clock,
      Supplier<TicketInboundService> inbound,
      Supplier<TicketLinks> links,
      Optional<JiraWebhook> jira,
      Optional<ServiceNowWebhook> serviceNow) {
    this.clock = clock;
    this.inbound = inbound;
    this.links = links;
    this.jira = () -> jira;
    this.serviceNow = () -> serviceNow;
  }

  /**
   * A verified (or refused) delivery.
   *
   * @param system the system it came from
   * @param ticketId the ticket it names; null for an event that concerns no ticket we sync
   * @param deliveryId what identifies a replay of it
   * @param refused why the signature did not verify; null when it did
   */
  public record Delivery(String system, String ticketId, String deliveryId, String refused) {}

  /**
   * Verifies a delivery's signature and reads which ticket it names.
   *
   * @param header the request's headers by name, any case
   * @throws InvalidInputException naming {@code system} for a system that has no webhook
   * @throws ConfigurationException naming the secret's setting when inbound is off for it
   */
  public Delivery verify(String system, byte[] raw, Function<String, Optional<String>> header) {
    switch (system) {
      case "jira" -> {
        JiraWebhook webhook = jira.get().orElseThrow(() -> off(JiraWebhook.SECRET_SETTING, "Jira"));
        JiraWebhook.Verdict verdict =
            webhook.verify(raw, header.apply(JiraWebhook.SIGNATURE_HEADER).orElse(null));
        if (verdict != JiraWebhook.Verdict.VALID) {
          return new Delivery(system, null, null, verdict.name().toLowerCase(Locale.ROOT));
        }
        String deliveryId =
            header
                .apply(JiraWebhook.IDENTIFIER_HEADER)
                .orElse(Digests.sha256Hex(new String(raw, StandardCharsets.UTF_8)));
        Optional<JiraWebhookEvent> event = JiraWebhook.parse(raw, deliveryId);
        return new Delivery(
            system, event.map(JiraWebhookEvent::issueId).orElse(null), deliveryId, null);
      }
      case "servicenow" -> {
        ServiceNowWebhook webhook =
            serviceNow.get().orElseThrow(() -> off(ServiceNowWebhook.SECRET_SETTING, "ServiceNow"));
        String signature = header.apply(ServiceNowWebhook.SIGNATURE_HEADER).orElse(null);
        ServiceNowWebhook.Verdict verdict =
            webhook.verify(
                raw,
                header.apply(ServiceNowWebhook.TIMESTAMP_HEADER).orElse(null),
                signature,
                clock.instant());
        if (verdict != ServiceNowWebhook.Verdict.VALID) {
          return new Delivery(system, null, null, verdict.name().toLowerCase(Locale.ROOT));
        }
        return new Delivery(system, ServiceNowWebhook.ticketId(raw), signature, null);
      }
      default ->
          throw InvalidInputException.of(
              "system", "must be servicenow or jira, not '" + system + "'");
    }
  }

  /**
   * Applies a verified delivery once: a replay answers {@code unchanged} without reading anything.
   */
  public InboundResult apply(Delivery delivery) {
    if (links.get().hasDelivery(delivery.system(), delivery.deliveryId())) {
      return new InboundResult(
          delivery.system(),
          delivery.ticketId(),
          null,
          InboundResult.Action.UNCHANGED,
          List.of("replay"));
    }
    TicketSystem system =
        inbound
            .get()
            .system(delivery.system())
            .orElseThrow(
                () ->
                    InvalidInputException.of(
                        "system", "no ticket system '" + delivery.system() + "'"));
    if (!system.isConfigured()) {
      throw new ConfigurationException(
          system.id(),
          "Ticket system " + system.id() + " is not configured: " + system.description());
    }
    InboundResult result = inbound.get().ticketChanged(system, delivery.ticketId());
    // Recorded after applying: a delivery that failed half-way is applied again when the ITSM
    // retries it (applying is idempotent), never dropped as a replay.
    links.get().firstDelivery(delivery.system(), delivery.deliveryId(), clock.instant());
    return result;
  }

  private static ConfigurationException off(String setting, String name) {
    return new ConfigurationException(
        setting,
        "Inbound sync from "
            + name
            + " is off: set "
            + setting
            + " to the secret the webhook signs with");
  }
}
