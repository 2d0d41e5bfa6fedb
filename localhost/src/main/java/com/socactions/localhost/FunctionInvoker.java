package com.socactions.localhost;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls function methods reflectively, as the Java worker does: for an instance method, a new
 * instance of its class per invocation, obtained from a {@link FunctionInstanceInjector} (never
 * cached, so a function class must not keep state between invocations); static methods need none.
 *
 * <p>With a timeout ({@code functionTimeout} in host.json), the function runs on {@code executor}
 * and the caller waits at most that long; a function still running then is interrupted and a {@link
 * FunctionTimeoutException} thrown, so no caller hangs on it. Whatever the function, its
 * constructor or the injector throws is reported as a {@link FunctionFailedException} whose cause
 * is the original exception, not the reflection wrapper.
 */
final class FunctionInvoker {
  private final FunctionInstanceInjector injector;
  private final Duration timeout;
  private final ExecutorService executor;

  /**
   * @param injector creates the instance for each invocation of an instance method
   * @param timeout the longest an invocation may run, or {@code null} for no limit
   * @param executor runs invocations when there is a timeout; unused otherwise
   */
  FunctionInvoker(FunctionInstanceInjector injector, Duration timeout, ExecutorService executor) {
    this.injector = injector;
    this.timeout = timeout;
    this.executor = executor;
  }

  /** The configured timeout, or {@code null} when invocations may run for ever. */
  Duration timeout() {
    return timeout;
  }

  /**
   * Invokes the function with already-bound arguments and returns what it returned.
   *
   * @throws FunctionTimeoutException when it ran longer than the timeout (it was interrupted)
   * @throws FunctionFailedException when it, its constructor or the injector threw
   */
  Object invoke(FunctionDefinition function, Object[] arguments) {
    if (timeout == null) {
      return invokeHere(function, arguments);
    }
    Future<Object> running = executor.submit(() -> invokeHere(function, arguments));
    try {
      return running.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // The Azure host cancels too; a function that ignores the interrupt keeps its thread,
      // but the caller is answered now.
      running.cancel(true);
      throw new FunctionTimeoutException(function.name(), timeout);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FunctionFailedException failed) {
        throw failed;
      }
      throw new FunctionFailedException(function.name(), e.getCause());
    } catch (InterruptedException e) {
      running.cancel(true);
      Thread.currentThread().interrupt();
      throw new FunctionFailedException(function.name(), e);
    }
  }

  private Object invokeHere(FunctionDefinition function, Object[] arguments) {
    Method method = function.method();
    Object target =
        Modifier.isStatic(method.getModifiers()) ? null : instanceOf(method.getDeclaringClass());
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      throw new FunctionFailedException(function.name(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new FunctionFailedException(function.name(), e);
    }
  }

  private Object instanceOf(Class<?> type) {
    Object instance;
    try {
      instance = injector.getInstance(type);
    } catch (InvocationTargetException e) {
      throw new FunctionFailedException(type.getName() + " constructor", e.getCause());
    } catch (Exception e) {
      throw new FunctionFailedException(type.getName() + " constructor", e);
    }
    if (instance == null) {
      throw new FunctionFailedException(
          type.getName() + " constructor",
          new IllegalStateException(
              injector.getClass().getName() + " returned no instance of " + type.getName()));
    }
    return instance;
  }

  /** A function (or its class's constructor) threw; {@link #getCause()} is what it threw. */
  static class FunctionFailedException extends RuntimeException {
    FunctionFailedException(String what, Throwable cause) {
      super(what + " failed: " + cause, cause);
    }

    private FunctionFailedException(String message) {
      super(message);
    }
  }

  /** A function ran longer than {@code functionTimeout}; worded as the Azure host logs it. */
  static final class FunctionTimeoutException extends FunctionFailedException {
    FunctionTimeoutException(String function, Duration timeout) {
      super(
          "Timeout value of "
              + HostJson.formatTimeSpan(timeout)
              + " exceeded by function 'Functions."
              + function
              + "'");
    }
  }
}
