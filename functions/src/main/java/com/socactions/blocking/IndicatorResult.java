package com.socactions.blocking;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.ParseResult;
import java.time.Instant;
import java.util.List;

/**
 * The answer for one indicator, in request order.
 *
 * @param value the normalised indicator (the key in the ledger and on the provider); null when
 *     invalid
 * @param input what the caller sent
 * @param reason for {@code refused}: the guardrail's stable code ({@code private_range}, ...)
 * @param detail a sentence for the analyst: why refused, invalid, unsupported or failed
 * @param expiresAt when the block lapses (blocked, already_active, would_block)
 * @param providerRef the provider's own id for the entry, when it has one
 * @param notes what normalisation changed (defanged form read back, host bits zeroed, ...)
 * @param retryAfter for {@code pending}: seconds after which asking again should find the answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IndicatorResult(
    String value,
    String input,
    IndicatorType type,
    BlockStatus status,
    String reason,
    String detail,
    Instant expiresAt,
    String provider,
    String providerRef,
    List<String> notes,
    Long retryAfter) {

  public IndicatorResult(
      String value,
      String input,
      IndicatorType type,
      BlockStatus status,
      String reason,
      String detail,
      Instant expiresAt,
      String provider,
      String providerRef,
      List<String> notes) {
    this(value, input, type, status, reason, detail, expiresAt, provider, providerRef, notes, null);
  }

  /** The answer for an input that is not an indicator: {@code invalid}, saying why. */
  static IndicatorResult invalid(ParseResult.Invalid invalid) {
    return new IndicatorResult(
        null,
        invalid.input(),
        null,
        BlockStatus.INVALID,
        null,
        invalid.reason(),
        null,
        null,
        null,
        null);
  }
}
