package com.socactions.api;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import com.socactions.platform.Settings;
import java.lang.reflect.Constructor;
import java.time.Clock;

/**
 * Creates the function classes, through the Azure Functions Java worker's own dependency injection
 * seam: the worker finds this class with {@link java.util.ServiceLoader} (see {@code
 * META-INF/services}) and asks it for a new instance for every invocation. Function classes take
 * the {@link AppServices} in their constructor, so they hold no state of their own and nothing
 * reaches for a global.
 *
 * <p>The worker needs a no-argument constructor: it serves the services of the process, built once
 * from the app settings on first use. Tests and the local host pass their own.
 */
public final class FunctionInjector implements FunctionInstanceInjector {
  private final AppServices services;

  /** For the Functions worker: the services of this process, from its app settings. */
  public FunctionInjector() {
    this(ProcessServices.INSTANCE);
  }

  public FunctionInjector(AppServices services) {
    this.services = services;
  }

  /**
   * A new instance of the function class: through its {@code (AppServices)} constructor, else its
   * no-argument one.
   */
  @Override
  public <T> T getInstance(Class<T> functionClass) throws Exception {
    try {
      Constructor<T> withServices = functionClass.getConstructor(AppServices.class);
      return withServices.newInstance(services);
    } catch (NoSuchMethodException noServices) {
      return functionClass.getConstructor().newInstance();
    }
  }

  /** Built on first use, once per process (class initialisation is thread-safe and lazy). */
  private static final class ProcessServices {
    static final AppServices INSTANCE = new AppServices(Settings.fromProcess(), Clock.systemUTC());
  }
}
