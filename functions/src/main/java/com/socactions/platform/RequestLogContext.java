package com.socactions.platform;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which request the current thread serves, for {@link RequestLog} and for the upstream calls it
 * makes: the HTTP layer {@link #open opens} a context with a prefix such as {@code
 * [EnrichIpAddresses run=0858... correlation=...] } and the request's correlation id (which the
 * upstream clients send on, see {@link UpstreamClient}); code that moves work to another thread
 * {@link #wrap wraps} it, so lines written and calls made there name the request too.
 */
public final class RequestLogContext {
  private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

  private record Context(String prefix, String correlationId) {}

  private RequestLogContext() {}

  /** Sets the prefix for this thread until the returned scope closes; no correlation id. */
  public static Scope open(String prefix) {
    return open(prefix, null);
  }

  /**
   * Sets the prefix and the request's correlation id for this thread until the returned scope
   * closes.
   */
  public static Scope open(String prefix, String correlationId) {
    return enter(new Context(prefix, correlationId));
  }

  private static Scope enter(Context context) {
    Context previous = CURRENT.get();
    CURRENT.set(context);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** The current prefix, or "" outside a request. */
  public static String prefix() {
    Context context = CURRENT.get();
    return context == null || context.prefix() == null ? "" : context.prefix();
  }

  /** The correlation id of the request this thread serves; empty outside one (timers, queues). */
  public static Optional<String> correlationId() {
    Context context = CURRENT.get();
    return context == null ? Optional.empty() : Optional.ofNullable(context.correlationId());
  }

  /** The task, run under the context of the thread that wraps it. */
  public static Runnable wrap(Runnable task) {
    Context captured = CURRENT.get();
    if (captured == null) {
      return task;
    }
    return () -> {
      try (Scope ignored = enter(captured)) {
        task.run();
      }
    };
  }

  /** The supplier, run under the context of the thread that wraps it. */
  public static <T> Supplier<T> wrap(Supplier<T> task) {
    Context captured = CURRENT.get();
    if (captured == null) {
      return task;
    }
    return () -> {
      try (Scope ignored = enter(captured)) {
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
