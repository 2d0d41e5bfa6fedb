package com.socactions.graph;

/**
 * How one write for one object went.
 *
 * @param id the object id written (a user's object id)
 * @param failure null when Graph accepted the write
 * @param reason Graph's status, error code and message when it failed; null otherwise
 */
public record GraphOutcome(String id, GraphFailure failure, String reason) {
  public boolean ok() {
    return failure == null;
  }

  static GraphOutcome of(String id, GraphResponse response) {
    return response.isSuccess()
        ? new GraphOutcome(id, null, null)
        : new GraphOutcome(id, response.failure().orElseThrow(), response.reason());
  }
}
