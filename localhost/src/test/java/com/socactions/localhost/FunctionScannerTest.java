package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionScannerTest {
  private static final String SAMPLES = "com.socactions.localhost.samples.http";
  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void httpFunctionsAreDescribedWithRouteMethodsAndAuthLevel() {
    List<FunctionDefinition> functions = FunctionScanner.scan(SAMPLES, loader);
    FunctionInfo health =
        functions.stream()
            .map(FunctionDefinition::info)
            .filter(f -> f.name().equals("Health"))
            .findFirst()
            .orElseThrow();
    assertThat(health)
        .isEqualTo(
            new FunctionInfo(
                "Health",
                TriggerKind.HTTP,
                "v1/health",
                Set.of(HttpMethod.GET),
                AuthorizationLevel.FUNCTION,
                null));
  }

  @Test
  void anEmptyRouteDefaultsToTheFunctionNameAndEmptyMethodsMeanAll() {
    FunctionInfo info =
        FunctionScanner.scan(SAMPLES, loader).stream()
            .map(FunctionDefinition::info)
            .filter(f -> f.name().equals("DefaultRouted"))
            .findFirst()
            .orElseThrow();
    assertThat(info.route()).isEqualTo("DefaultRouted");
    assertThat(info.methods()).isEmpty();
    assertThat(info.allows(HttpMethod.OPTIONS)).isTrue();
  }

  @Test
  void theDeclaredBodyTypeAndParameterSourcesAreRecorded() {
    List<FunctionDefinition> functions = FunctionScanner.scan(SAMPLES, loader);
    assertThat(byName(functions, "Bytes").bodyType()).isEqualTo(BodyType.BYTES);
    assertThat(byName(functions, "Text").bodyType()).isEqualTo(BodyType.STRING);
    assertThat(byName(functions, "OptionalBytes").bodyType()).isEqualTo(BodyType.OPTIONAL_BYTES);
    assertThat(byName(functions, "Greet").parameters())
        .containsExactly(
            new ParameterSource.HttpRequest(),
            new ParameterSource.Binding("name"),
            new ParameterSource.Binding("suffix"),
            new ParameterSource.Binding("lang"));
    assertThat(byName(functions, "Echo").parameters())
        .containsExactly(new ParameterSource.HttpRequest(), new ParameterSource.Context());
  }

  private static FunctionDefinition byName(List<FunctionDefinition> functions, String name) {
    return functions.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void timerFunctionsKeepTheirScheduleAsAnnotated() {
    assertThat(FunctionScanner.scan("com.socactions.localhost.samples.timer", loader))
        .extracting(FunctionDefinition::info)
        .containsExactly(
            new FunctionInfo(
                "EverySecond", TriggerKind.TIMER, null, Set.of(), null, "* * * * * *"));
  }

  @Test
  void aFunctionWithAnUnsupportedTriggerIsSkipped() {
    assertThat(FunctionScanner.scan("com.socactions.localhost.samples.skipped", loader)).isEmpty();
  }

  @Test
  void anUnsupportedBodyTypeFailsTheBuildNamingTheFunction() {
    assertThatThrownBy(
            () ->
                LocalFunctionHost.builder()
                    .scanPackage("com.socactions.localhost.samples.invalid")
                    .functionKey("k")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Unbindable")
        .hasMessageContaining("Optional<String>");
  }

  @Test
  void classesInsideAJarAreFound(@TempDir Path temp) throws Exception {
    String path = SAMPLES.replace('.', '/');
    Path classes = Path.of(loader.getResource(path).toURI());
    Path jar = temp.resolve("samples.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.list(classes)) {
      for (Path file : files.toList()) {
        out.putNextEntry(new JarEntry(path + "/" + file.getFileName()));
        out.write(Files.readAllBytes(file));
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("other/pkg/Ignored.class"));
      out.closeEntry();
    }
    URL url = new URL("jar:" + jar.toUri() + "!/" + path);
    assertThat(FunctionScanner.classNamesAt(url, path))
        .contains(SAMPLES + ".EchoFunctions", SAMPLES + ".RoutingFunctions")
        .noneMatch(name -> name.startsWith("other."));
  }

  @Test
  void aMissingPackageYieldsNoFunctions() {
    assertThat(FunctionScanner.scan("com.socactions.nothing.here", loader)).isEmpty();
  }
}
