package com.socactions.decisions;

/**
 * What was decided: the {@code Operation} column. The names are the connector's operationIds where
 * an operation made the decision, so a row leads to the action in the playbook.
 */
public enum DecisionOperation {
  BLOCK_INDICATORS("BlockIndicators"),
  ALLOW_INDICATORS("AllowIndicators"),
  UNBLOCK_INDICATORS("UnblockIndicators"),
  /** The expiry timer lifting a block (or allow) whose time came. */
  EXPIRE("ExpireIndicators"),
  DISABLE_ACCOUNTS("DisableAccounts"),
  ENABLE_ACCOUNTS("EnableAccounts"),
  REVOKE_SESSIONS("RevokeSessions"),
  CONFIRM_COMPROMISED("ConfirmCompromised"),
  /** Outbound ticket sync (incident to ticket). */
  SYNC_TICKET("SyncTicket"),
  /** Inbound ticket sync (a ticket change applied to its incident). */
  TICKET_INBOUND("TicketInbound"),
  /** One row per EnrichIncident call: its volume, latency and errors. */
  ENRICH_INCIDENT("EnrichIncident");

  private final String wireName;

  DecisionOperation(String wireName) {
    this.wireName = wireName;
  }

  /** The value of the {@code Operation} column. */
  public String wireName() {
    return wireName;
  }
}
