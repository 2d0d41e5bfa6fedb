package com.socactions.localhost;

import com.microsoft.azure.functions.TraceContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A W3C trace context for one invocation. Like the real host, the invocation joins the caller's
 * trace (same trace id and flags, new span id) when the request carries a valid {@code
 * traceparent}, and starts a new trace otherwise.
 */
record W3CTraceContext(String traceparent, String tracestate) implements TraceContext {
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String INVALID_TRACE_ID = "0".repeat(32);
  private static final String INVALID_SPAN_ID = "0".repeat(16);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Builds the invocation's context from the incoming headers, either of which may be {@code null}.
   */
  static W3CTraceContext from(String incomingTraceparent, String incomingTracestate) {
    if (incomingTraceparent != null) {
      var matcher = TRACEPARENT.matcher(incomingTraceparent.trim());
      if (matcher.matches()
          && !matcher.group(1).equals(INVALID_TRACE_ID)
          && !matcher.group(2).equals(INVALID_SPAN_ID)) {
        return new W3CTraceContext(
            "00-" + matcher.group(1) + "-" + randomHex(8) + "-" + matcher.group(3),
            incomingTracestate == null ? "" : incomingTracestate);
      }
    }
    return new W3CTraceContext("00-" + randomHex(16) + "-" + randomHex(8) + "-01", "");
  }

  private static String randomHex(int bytes) {
    byte[] buffer = new byte[bytes];
    RANDOM.nextBytes(buffer);
    return HexFormat.of().formatHex(buffer);
  }

  @Override
  public String getTraceparent() {
    return traceparent;
  }

  @Override
  public String getTracestate() {
    return tracestate;
  }

  @Override
  public Map<String, String> getAttributes() {
    return Map.of();
  }
}
