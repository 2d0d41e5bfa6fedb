package com.socactions.localhost;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.TraceContext;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The {@link ExecutionContext} of one invocation: a fresh random invocation id, the function's
 * logger and trace.
 */
final class LocalExecutionContext implements ExecutionContext {
  private final String invocationId = UUID.randomUUID().toString();
  private final String functionName;
  private final Logger logger;
  private final TraceContext traceContext;

  LocalExecutionContext(String functionName, Logger logger, TraceContext traceContext) {
    this.functionName = functionName;
    this.logger = logger;
    this.traceContext = traceContext;
  }

  @Override
  public Logger getLogger() {
    return logger;
  }

  @Override
  public String getInvocationId() {
    return invocationId;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public TraceContext getTraceContext() {
    return traceContext;
  }
}
