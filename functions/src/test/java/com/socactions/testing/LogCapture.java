package com.socactions.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages one logger writes while open, collected by a handler on that logger alone (never the
 * root logger, which every other test shares); on close the handler goes and the logger's level is
 * what it was.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  /** The messages so far, in order. */
  public final List<String> lines = new CopyOnWriteArrayList<>();

  private final Logger logger;
  private final Level level;

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.level = logger.getLevel();
  }

  /** The lines of {@code loggerName} at the levels it writes now. */
  public static LogCapture of(String loggerName) {
    LogCapture capture = new LogCapture(Logger.getLogger(loggerName));
    capture.logger.addHandler(capture);
    return capture;
  }

  /**
   * The lines of {@code loggerName} down to {@code level} (FINE for what it writes for support).
   */
  public static LogCapture of(String loggerName, Level level) {
    LogCapture capture = of(loggerName);
    capture.setLevel(Level.ALL);
    capture.logger.setLevel(level);
    return capture;
  }

  @Override
  public void publish(LogRecord record) {
    lines.add(record.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(level);
  }
}
