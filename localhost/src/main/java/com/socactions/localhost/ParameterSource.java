package com.socactions.localhost;

/** Where the value of one function parameter comes from at invocation time. */
public sealed interface ParameterSource {

  /** The {@code HttpRequestMessage} annotated {@code @HttpTrigger}. */
  record HttpRequest() implements ParameterSource {}

  /** The per-invocation {@code ExecutionContext}. */
  record Context() implements ParameterSource {}

  /**
   * A {@code @BindingName} String: the route parameter of that name, else the query parameter, else
   * null.
   */
  record Binding(String name) implements ParameterSource {}

  /** The {@code @TimerTrigger} String: JSON timer info. */
  record TimerInfo() implements ParameterSource {}
}
