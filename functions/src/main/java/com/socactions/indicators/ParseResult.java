package com.socactions.indicators;

import java.util.List;

/** What {@link Indicators#parse} made of one input: an indicator, or why it is not one. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Invalid {

  /** What the caller sent. */
  String input();

  /**
   * A valid indicator.
   *
   * @param notes what normalisation changed that the analyst may not expect (host bits zeroed, a
   *     defanged form refanged, credentials dropped), as sentences; empty when nothing surprising
   */
  record Parsed(Indicator indicator, List<String> notes) implements ParseResult {
    public Parsed {
      notes = List.copyOf(notes);
    }

    @Override
    public String input() {
      return indicator.input();
    }
  }

  /** Not an indicator; {@code reason} is a sentence for the analyst saying what to send instead. */
  record Invalid(String input, String reason) implements ParseResult {}
}
