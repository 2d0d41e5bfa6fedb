package com.socactions.blocking;

/**
 * What the caller asked for with {@code override_guardrails} and {@code justification}.
 *
 * @param requested whether {@code override_guardrails} is true
 * @param justification why, in the analyst's words; blank counts as none
 */
public record GuardrailOverride(boolean requested, String justification) {
  /** No override asked for. */
  public static final GuardrailOverride NONE = new GuardrailOverride(false, null);

  public static GuardrailOverride justifiedBy(String justification) {
    return new GuardrailOverride(true, justification);
  }

  /** Whether the override may lift the checks it can: requested, with a non-blank justification. */
  public boolean isJustified() {
    return requested && justification != null && !justification.isBlank();
  }
}
