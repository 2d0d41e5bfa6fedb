package com.socactions.platform;

import java.util.function.Supplier;

/**
 * Which request the current thread serves, for {@link RequestLog}: the HTTP layer {@link #open
 * opens} a context with a prefix such as {@code [EnrichIpAddresses run=0858... correlation=...] };
 * code that moves work to another thread {@link #wrap wraps} it, so lines written there name the
 * request too.
 */
public final class RequestLogContext {
  private static final ThreadLocal<String> PREFIX = new ThreadLocal<>();

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

  /** The supplier, run under the prefix of the thread that wraps it. */
  public static <T> Supplier<T> wrap(Supplier<T> task) {
    String captured = PREFIX.get();
    if (captured == null) {
      return task;
    }
    return () -> {
      try (Scope ignored = open(captured)) {
        return task.get();
      }
    };
  }

  /** A context that ends without throwing. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
