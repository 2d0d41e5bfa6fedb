package com.socactions.platform;

/**
 * A well-formed request that a safety policy refuses as a whole (a guardrail, a protected account,
 * a missing justification for an override). {@code reason} is a stable code a playbook can branch
 * on, e.g. {@code justification_required}.
 */
public class PolicyRefusedException extends RuntimeException {
  private final String reason;

  public PolicyRefusedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
