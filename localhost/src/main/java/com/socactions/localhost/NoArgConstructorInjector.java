package com.socactions.localhost;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;

/**
 * What the Java worker does when no {@link FunctionInstanceInjector} is registered: calls the
 * function class's no-argument constructor, once per invocation.
 *
 * <p>Fails with {@link NoSuchMethodException} when the class has none, and with {@link
 * IllegalAccessException} when it is not public, as in Azure.
 */
final class NoArgConstructorInjector implements FunctionInstanceInjector {
  @Override
  public <T> T getInstance(Class<T> functionClass) throws Exception {
    return functionClass.getDeclaredConstructor().newInstance();
  }
}
