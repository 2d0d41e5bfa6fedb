package com.socactions.localhost;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The host's and the functions' {@link Logger}s: each record becomes one line on stderr, {@code
 * <ISO instant> <LEVEL> [<logger>] <message>}, followed by the stack trace when there is one.
 *
 * <p>Loggers are held strongly here because {@code java.util.logging} keeps only weak references,
 * and a collected logger would lose the handler configured below.
 */
final class FunctionLogging {
  private static final Map<String, Logger> LOGGERS = new ConcurrentHashMap<>();
  private static final Handler STDERR = new StderrHandler();

  private FunctionLogging() {}

  /**
   * The logger {@code Function.<name>} handed to a function through its {@code ExecutionContext}.
   */
  static Logger functionLogger(String functionName) {
    return logger("Function." + functionName);
  }

  /** The host's own logger ({@code LocalHost}). */
  static Logger hostLogger() {
    return logger("LocalHost");
  }

  private static Logger logger(String name) {
    return LOGGERS.computeIfAbsent(
        name,
        n -> {
          Logger logger = Logger.getLogger(n);
          // Without this, records would also reach the root ConsoleHandler and print twice.
          logger.setUseParentHandlers(false);
          logger.addHandler(STDERR);
          logger.setLevel(Level.INFO);
          return logger;
        });
  }

  /** Writes to whatever {@code System.err} is at publish time, so redirected stderr is honoured. */
  private static final class StderrHandler extends Handler {
    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      StringBuilder line =
          new StringBuilder(128)
              .append(Instant.ofEpochMilli(record.getMillis()))
              .append(' ')
              .append(record.getLevel().getName())
              .append(" [")
              .append(record.getLoggerName())
              .append("] ")
              .append(message(record))
              .append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      System.err.print(line);
      System.err.flush();
    }

    private static String message(LogRecord record) {
      String message = record.getMessage();
      Object[] parameters = record.getParameters();
      if (message == null || parameters == null || parameters.length == 0) {
        return String.valueOf(message);
      }
      try {
        return java.text.MessageFormat.format(message, parameters);
      } catch (IllegalArgumentException e) {
        return message;
      }
    }

    @Override
    public void flush() {
      System.err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
