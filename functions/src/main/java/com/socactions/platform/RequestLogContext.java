package com.socactions.platform;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Names the request on every log line written while serving it, also from services and
 * upstream clients deep below the function class, and from the worker threads they hand work to.
 *
 * <p>The HTTP layer {@link #open opens} a context with a prefix such as
 * {@code [EnrichIpAddresses run=0858... correlation=...] }; code that moves work to another
 * thread {@link #wrap wraps} it. A handler on the {@code com.socactions} logger stamps the prefix
 * on each record before the platform's own handlers (Functions host, App Insights) format it:
 * java.util.logging has no MDC, and the host's handlers are not ours to change.
 */
public final class RequestLogContext {
  private static final ThreadLocal<String> PREFIX = new ThreadLocal<>();
  private static final String ROOT_LOGGER = "com.socactions";
  /** Held strongly: java.util.logging keeps loggers only weakly, and the handler must stay attached. */
  private static final Logger STAMPED = Logger.getLogger(ROOT_LOGGER);

  static {
    STAMPED.addHandler(new Stamper());
  }

  private RequestLogContext() {}

  /** Sets the prefix for this thread until the returned scope closes. */
  public static Scope open(String prefix) {
    String previous = PREFIX.get();
    PREFIX.set(prefix);
    return () -> {
      if (previous == null) {
        PREFIX.remove();
      } else {
        PREFIX.set(previous);
      }
    };
  }

  /** The current prefix, or "" outside a request. */
  public static String prefix() {
    String prefix = PREFIX.get();
    return prefix == null ? "" : prefix;
  }

  /** The task, run under the prefix of the thread that wraps it. */
  public static Runnable wrap(Runnable task) {
    String captured = PREFIX.get();
    if (captured == null) {
      return task;
    }
    return () -> {
      try (Scope ignored = open(captured)) {
        task.run();
      }
    };
  }

  /** A context that ends without throwing. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Stamps the prefix onto records of our loggers; publishes nothing itself. */
  private static final class Stamper extends Handler {
    @Override
    public void publish(LogRecord record) {
      String prefix = PREFIX.get();
      String message = record.getMessage();
      if (prefix != null && (message == null || !message.startsWith(prefix))) {
        record.setMessage(prefix + (message == null ? "" : message));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
