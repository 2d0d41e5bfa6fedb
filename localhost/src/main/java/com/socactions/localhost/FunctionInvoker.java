package com.socactions.localhost;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls function methods reflectively, creating one instance per function class on first use.
 *
 * <p>Instances are created lazily because constructors may read app settings that only exist once
 * the host is configured. A constructor that fails is not cached, so the next invocation tries
 * again. Whatever the function (or its constructor) throws is reported as a {@link
 * FunctionFailedException} whose cause is the original exception, not the reflection wrapper.
 */
final class FunctionInvoker {
  private final Map<Class<?>, Object> instances = new ConcurrentHashMap<>();

  /** Invokes the function with already-bound arguments and returns what it returned. */
  Object invoke(FunctionDefinition function, Object[] arguments) {
    Method method = function.method();
    try {
      Object target =
          Modifier.isStatic(method.getModifiers()) ? null : instanceOf(method.getDeclaringClass());
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      throw new FunctionFailedException(function.name(), e.getCause());
    } catch (FunctionFailedException e) {
      throw e;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new FunctionFailedException(function.name(), e);
    }
  }

  private Object instanceOf(Class<?> type) {
    Object existing = instances.get(type);
    if (existing != null) {
      return existing;
    }
    // Not computeIfAbsent: a slow constructor must not block unrelated classes hashed to the same
    // bin,
    // and a rare double construction on a race is harmless for stateless function classes.
    Object created = construct(type);
    Object raced = instances.putIfAbsent(type, created);
    return raced != null ? raced : created;
  }

  private static Object construct(Class<?> type) {
    try {
      var constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw new FunctionFailedException(type.getName() + " constructor", e.getCause());
    } catch (NoSuchMethodException e) {
      throw new FunctionFailedException(
          type.getName() + " constructor",
          new IllegalStateException(type.getName() + " needs a public no-argument constructor", e));
    } catch (ReflectiveOperationException e) {
      throw new FunctionFailedException(type.getName() + " constructor", e);
    }
  }

  /** A function (or its class's constructor) threw; {@link #getCause()} is what it threw. */
  static final class FunctionFailedException extends RuntimeException {
    FunctionFailedException(String what, Throwable cause) {
      super(what + " failed: " + cause, cause);
    }
  }
}
