package com.socactions.blocking;

import com.socactions.indicators.Indicator;
import com.socactions.ledger.Action;
import java.time.Instant;

/**
 * One indicator for an enforcement point, already normalised and past the guardrails.
 *
 * @param action block or allow
 * @param expiresAt when the entry should lapse (providers that expire entries themselves, such as
 *     Defender's {@code expirationTime} and PAN-OS tag timeouts, are given it; the expiry timer
 *     lifts the rest)
 * @param title a short line naming the incident, for consoles that show one (Defender's title)
 * @param description why: reason, incident, who asked
 * @param providerRef the upstream's id for an entry it holds, from the ledger (Defender's indicator
 *     id); null when unknown
 * @param extension true when this is our own active entry (the ledger's) whose expiry moves later:
 *     a provider that expires entries itself must carry the new {@code expiresAt} to it, and need
 *     not look for it first
 */
public record EnforcementRequest(
    Indicator indicator,
    Action action,
    Instant expiresAt,
    String title,
    String description,
    String providerRef,
    boolean extension,
    boolean recovering) {

  public EnforcementRequest(
      Indicator indicator,
      Action action,
      Instant expiresAt,
      String title,
      String description,
      String providerRef,
      boolean extension) {
    this(indicator, action, expiresAt, title, description, providerRef, extension, false);
  }

  /** A request for an entry that is not (known to be) ours and active already. */
  public EnforcementRequest(
      Indicator indicator,
      Action action,
      Instant expiresAt,
      String title,
      String description,
      String providerRef) {
    this(indicator, action, expiresAt, title, description, providerRef, false);
  }
}
