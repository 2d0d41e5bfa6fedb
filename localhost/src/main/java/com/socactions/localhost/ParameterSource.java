package com.socactions.localhost;

/** Where the value of one function parameter comes from at invocation time. */
public sealed interface ParameterSource {

  /** The {@code HttpRequestMessage} annotated {@code @HttpTrigger}. */
  record HttpRequest() implements ParameterSource {}

  /** The per-invocation {@code ExecutionContext}. */
  record Context() implements ParameterSource {}

  /**
   * A {@code @BindingName} String: the route parameter of that name, else the query parameter, else
   * null; for a queue trigger, the message's metadata of that name ({@code Id}, {@code
   * DequeueCount}, {@code InsertionTime}, {@code ExpirationTime}, {@code NextVisibleTime}, {@code
   * PopReceipt}).
   */
  record Binding(String name) implements ParameterSource {}

  /** The {@code @TimerTrigger} String: JSON timer info. */
  record TimerInfo() implements ParameterSource {}

  /** The {@code @QueueTrigger} String: the message's text. */
  record QueueMessage() implements ParameterSource {}
}
