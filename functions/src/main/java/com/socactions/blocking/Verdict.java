package com.socactions.blocking;

import java.util.List;

/** What the guardrails say about one indicator: it may be blocked, or why not. */
public sealed interface Verdict permits Verdict.Allowed, Verdict.Refused {

  boolean isAllowed();

  /**
   * The indicator may be blocked.
   *
   * @param lifted the checks that would have refused it and that a justified override lifted, for
   *     the ledger; empty when nothing needed lifting
   */
  record Allowed(List<Lifted> lifted) implements Verdict {
    public Allowed {
      lifted = List.copyOf(lifted);
    }

    @Override
    public boolean isAllowed() {
      return true;
    }
  }

  /**
   * The indicator must not be blocked.
   *
   * @param reason the stable code
   * @param message a sentence for the analyst: what the indicator is and what they can do
   */
  record Refused(RefusalReason reason, String message) implements Verdict {
    @Override
    public boolean isAllowed() {
      return false;
    }
  }

  /** A check that would have refused, lifted by a justified override. */
  record Lifted(RefusalReason check, String message) {}
}
