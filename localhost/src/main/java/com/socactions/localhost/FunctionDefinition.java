package com.socactions.localhost;

import java.lang.reflect.Method;
import java.util.List;
import java.util.logging.Logger;

/**
 * A discovered function: its public description plus what the host needs to invoke it.
 *
 * @param info name, trigger and trigger settings
 * @param method the public {@code @FunctionName} method
 * @param bodyType HTTP only: how the request body is bound; {@code null} for timers
 * @param binaryBody HTTP only: the trigger declares {@code dataType = "binary"}
 * @param parameters one source per method parameter, in declaration order
 */
public record FunctionDefinition(
    FunctionInfo info,
    Method method,
    BodyType bodyType,
    boolean binaryBody,
    List<ParameterSource> parameters) {

  public FunctionDefinition {
    parameters = List.copyOf(parameters);
  }

  public String name() {
    return info.name();
  }

  /** The function's logger, {@code Function.<name>}, printing to stderr. */
  Logger logger() {
    return FunctionLogging.functionLogger(info.name());
  }
}
