package com.socactions.graph;

/**
 * One account as given, and what Entra ID holds for it.
 *
 * @param user the user when {@code status} is {@link ResolutionStatus#RESOLVED}, else null
 * @param reason why it is not resolved (null when it is)
 */
public record AccountResolution(
    AccountRef account, ResolutionStatus status, GraphUser user, String reason) {
  public boolean resolved() {
    return status == ResolutionStatus.RESOLVED;
  }
}
