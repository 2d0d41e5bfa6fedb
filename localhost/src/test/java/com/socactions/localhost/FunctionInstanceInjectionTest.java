package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import com.socactions.localhost.samples.injected.CountingFunctions;
import com.socactions.localhost.samples.injected.GreetingFunctions;
import com.socactions.localhost.samples.injected.ServiceLoadedInjector;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Function instances come from the Java worker's DI seam, one per invocation. */
class FunctionInstanceInjectionTest {
  private static final String SAMPLES = "com.socactions.localhost.samples.injected";

  private final HttpClient client = HttpClient.newHttpClient();

  private String get(LocalFunctionHost host, String path) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(host.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static LocalFunctionHost.Builder builder() {
    return LocalFunctionHost.builder()
        .scanPackage(SAMPLES)
        .port(0)
        .functionKey("k")
        .timersEnabled(false);
  }

  @Test
  void withoutAnInjectorEachInvocationGetsANewInstanceFromTheNoArgConstructor() throws Exception {
    try (LocalFunctionHost host = builder().build().start()) {
      assertThat(get(host, "count")).isEqualTo("200 invocations=1");
      assertThat(get(host, "count")).isEqualTo("200 invocations=1");
    }
  }

  @Test
  void withoutAnInjectorAClassWithoutANoArgConstructorFailsOnlyItsOwnInvocations()
      throws Exception {
    try (LocalFunctionHost host = builder().build().start()) {
      assertThat(get(host, "greeting")).startsWith("500 ");
      assertThat(get(host, "count")).isEqualTo("200 invocations=1");
    }
  }

  @Test
  void anInjectorPassedToTheBuilderIsAskedForEveryInvocation() throws Exception {
    List<Class<?>> requested = Collections.synchronizedList(new ArrayList<>());
    FunctionInstanceInjector injector =
        new FunctionInstanceInjector() {
          @Override
          public <T> T getInstance(Class<T> functionClass) throws Exception {
            requested.add(functionClass);
            if (functionClass == GreetingFunctions.class) {
              return functionClass.cast(new GreetingFunctions("injected"));
            }
            return functionClass.getDeclaredConstructor().newInstance();
          }
        };
    try (LocalFunctionHost host = builder().injector(injector).build().start()) {
      assertThat(get(host, "greeting")).isEqualTo("200 injected");
      assertThat(get(host, "greeting")).isEqualTo("200 injected");
      assertThat(get(host, "count")).isEqualTo("200 invocations=1");
    }
    assertThat(requested)
        .containsExactly(GreetingFunctions.class, GreetingFunctions.class, CountingFunctions.class);
  }

  @Test
  void anInjectorRegisteredInMetaInfServicesOfTheScanClassLoaderIsUsed(@TempDir Path dir)
      throws Exception {
    Path services = dir.resolve("META-INF/services/" + FunctionInstanceInjector.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, ServiceLoadedInjector.class.getName() + "\n");
    // The test class path also holds the Function App's own injector (functions'
    // META-INF/services):
    // hide the parent's registrations so only the one written here is found.
    ClassLoader withoutRegistrations =
        new ClassLoader(getClass().getClassLoader()) {
          @Override
          public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("META-INF/services/")
                ? Collections.emptyEnumeration()
                : super.getResources(name);
          }
        };
    try (URLClassLoader loader =
            new URLClassLoader(new URL[] {dir.toUri().toURL()}, withoutRegistrations);
        LocalFunctionHost host = builder().classLoader(loader).build().start()) {
      assertThat(get(host, "greeting")).isEqualTo("200 from the service loader");
    }
  }
}
