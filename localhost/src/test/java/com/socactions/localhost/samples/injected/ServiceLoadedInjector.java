package com.socactions.localhost.samples.injected;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;

/**
 * Registered through a {@code META-INF/services} file that only one test's class loader sees, so it
 * cannot leak into other tests (or the end-to-end tests' real injector).
 */
public class ServiceLoadedInjector implements FunctionInstanceInjector {
  @Override
  public <T> T getInstance(Class<T> functionClass) throws Exception {
    if (functionClass == GreetingFunctions.class) {
      return functionClass.cast(new GreetingFunctions("from the service loader"));
    }
    return functionClass.getDeclaredConstructor().newInstance();
  }
}
