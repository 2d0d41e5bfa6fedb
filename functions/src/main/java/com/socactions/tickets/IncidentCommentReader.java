package com.socactions.tickets;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.RequestLog;
import com.socactions.platform.UpstreamException;
import com.socactions.sentinel.ArmIncidentId;
import com.socactions.sentinel.IncidentComment;
import com.socactions.sentinel.Incidents;
import com.socactions.sentinel.SentinelClient;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads an incident's comments from the Sentinel REST API when the incident a playbook sent does
 * not carry them (the REST resource and some hand-built bodies do not), so the ticket still gets
 * them. Best effort: without Sentinel access the sync goes on without comments and says why in the
 * log, rather than failing the ticket for them.
 */
public final class IncidentCommentReader {
  private static final RequestLog LOG = RequestLog.of(IncidentCommentReader.class);

  /** Reads nothing: the sync goes on with the comments the incident came with. */
  public static final IncidentCommentReader NONE =
      new IncidentCommentReader(() -> null, () -> false);

  private final Supplier<SentinelClient> sentinel;
  private final Supplier<Boolean> available;

  /**
   * @param available whether the app has an Azure identity to read Sentinel with
   */
  public IncidentCommentReader(Supplier<SentinelClient> sentinel, Supplier<Boolean> available) {
    this.sentinel = sentinel;
    this.available = available;
  }

  /**
   * {@code content} with the incident's comments from Sentinel, or as it is when they cannot be
   * read.
   */
  public TicketContent withComments(TicketContent content) {
    if (!available.get()) {
      LOG.info(
          () ->
              "The incident came without comments and the app has no Azure identity to read them;"
                  + " syncing without");
      return content;
    }
    try {
      List<IncidentComment> comments =
          Incidents.comments(
              sentinel.get().listComments(ArmIncidentId.parse(content.incidentId())));
      return new TicketContent(
          content.incidentId(),
          content.correlationId(),
          content.incidentNumber(),
          content.title(),
          content.description(),
          content.severity(),
          content.status(),
          content.classification(),
          content.closingNote(),
          content.owner(),
          content.labels(),
          content.incidentUrl(),
          comments);
    } catch (UpstreamException | ConfigurationException e) {
      LOG.warning(
          () ->
              "Could not read the incident's comments from Sentinel; syncing without them: "
                  + e.getMessage());
      return content;
    }
  }
}
