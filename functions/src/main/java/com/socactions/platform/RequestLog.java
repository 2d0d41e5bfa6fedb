package com.socactions.platform;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A logger whose every line names the request it serves: the prefix of the current {@link
 * RequestLogContext} (e.g. {@code [EnrichIpAddresses run=0858... correlation=...] }) goes in front
 * of the message, on whatever thread the line is written, as long as the work was handed over with
 * {@link RequestLogContext#wrap}. Outside a request, lines are written as they are.
 *
 * <p>java.util.logging has no MDC, and the Functions host's handlers are not ours to change, so the
 * prefix is part of the message itself, added here where our code logs rather than by a handler
 * that rewrites every record of the process.
 */
public final class RequestLog {
  private final Logger logger;

  private RequestLog(Logger logger) {
    this.logger = logger;
  }

  /** The log of a class (a {@link Logger} of the same name underneath). */
  public static RequestLog of(Class<?> type) {
    return new RequestLog(Logger.getLogger(type.getName()));
  }

  public void fine(Supplier<String> message) {
    log(Level.FINE, message);
  }

  public void info(Supplier<String> message) {
    log(Level.INFO, message);
  }

  public void warning(Supplier<String> message) {
    log(Level.WARNING, message);
  }

  public void warning(String message) {
    log(Level.WARNING, message);
  }

  public void log(Level level, String message) {
    if (logger.isLoggable(level)) {
      logger.log(level, RequestLogContext.prefix() + message);
    }
  }

  public void log(Level level, String message, Throwable error) {
    if (logger.isLoggable(level)) {
      logger.log(level, RequestLogContext.prefix() + message, error);
    }
  }

  /** The message is built only when the level is logged. */
  public void log(Level level, Supplier<String> message) {
    if (logger.isLoggable(level)) {
      logger.log(level, RequestLogContext.prefix() + message.get());
    }
  }
}
