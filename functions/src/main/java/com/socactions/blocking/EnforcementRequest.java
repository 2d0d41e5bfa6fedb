package com.socactions.blocking;

import com.socactions.indicators.Indicator;
import java.time.Instant;

/**
 * One indicator for an enforcement point, already normalised and past the guardrails.
 *
 * @param action block or allow
 * @param expiresAt when the entry should lapse (providers that expire entries themselves, such as
 *     Defender's {@code expirationTime} and PAN-OS tag timeouts, are given it; the expiry timer lifts
 *     the rest)
 * @param title a short line naming the incident, for consoles that show one (Defender's title)
 * @param description why: reason, incident, who asked
 * @param providerRef the upstream's id for an entry it holds, from the ledger (Defender's indicator
 *     id); null when unknown
 */
public record EnforcementRequest(
    Indicator indicator, Action action, Instant expiresAt, String title, String description, String providerRef) {

  public enum Action {
    BLOCK,
    ALLOW
  }
}
