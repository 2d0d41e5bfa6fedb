package com.socactions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.socactions.openapi.ConnectorRules;
import com.socactions.providers.Capability;
import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The connector definition and the function classes describe one API: every HTTP function has
 * exactly one operation (same operationId, method and path) and every operation a function.
 */
class FunctionDriftTest {
  /**
   * Functions the contract keeps out of the connector: the definition itself, the 404/405
   * catch-all, and the TAXII server (for TAXII clients, not playbooks).
   */
  private static final Set<String> NOT_IN_CONNECTOR = notInConnector();

  private static Set<String> notInConnector() {
    Set<String> names = new java.util.HashSet<>(Set.of("GetOpenApiDefinition", "NotFound"));
    names.addAll(TaxiiFunctions.NAMES);
    return Set.copyOf(names);
  }

  @Test
  void everyHttpFunctionHasExactlyOneOperationAndEveryOperationAFunction() throws Exception {
    Map<String, String> functions = httpFunctionRoutes();
    Map<String, String> operations =
        new TreeMap<>(ConnectorRules.forTheConnector().operationRoutes());
    assertThat(functions).as("HTTP functions (name -> METHOD /path)").isEqualTo(operations);
  }

  @Test
  void theDriftCheckSeesEveryFunctionClass() throws Exception {
    assertThat(httpFunctionRoutes())
        .containsKeys(
            "GetHealth", "ListProviders", "EnrichIpAddresses", "EnrichIpAddress", "EnrichDomains");
  }

  @Test
  void theProviderCapabilityFilterOffersExactlyTheKnownCapabilities() {
    JsonNode parameters =
        ConnectorRules.forTheConnector().root().at("/paths/~1v1~1providers/get/parameters");
    List<String> offered = new ArrayList<>();
    parameters.forEach(
        parameter -> {
          if (parameter.path("name").asText().equals("capability")) {
            parameter.path("enum").forEach(value -> offered.add(value.asText()));
          }
        });
    assertThat(offered)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Capability.values()).map(Capability::wireName).toList());
  }

  static Map<String, String> httpFunctionRoutes() throws Exception {
    Map<String, String> routes = new TreeMap<>();
    for (Class<?> type : functionClasses()) {
      for (Method method : type.getMethods()) {
        FunctionName name = method.getAnnotation(FunctionName.class);
        if (name == null || NOT_IN_CONNECTOR.contains(name.value())) {
          continue;
        }
        for (Parameter parameter : method.getParameters()) {
          HttpTrigger trigger = parameter.getAnnotation(HttpTrigger.class);
          if (trigger != null) {
            List<String> methods =
                new ArrayList<>(Arrays.stream(trigger.methods()).map(HttpMethod::name).toList());
            assertThat(methods).as(name.value() + " declares exactly one method").hasSize(1);
            String previous =
                routes.put(
                    name.value(), methods.get(0).toUpperCase(Locale.ROOT) + " /" + trigger.route());
            assertThat(previous).as("function name " + name.value() + " used twice").isNull();
          }
        }
      }
    }
    return routes;
  }

  private static List<Class<?>> functionClasses() throws Exception {
    List<Class<?>> classes = new ArrayList<>();
    // Main and test classes both have this package; the function classes are in the main folder.
    for (URL folder :
        java.util.Collections.list(
            FunctionDriftTest.class.getClassLoader().getResources("com/socactions/api"))) {
      for (File file : new File(folder.toURI()).listFiles()) {
        String name = file.getName();
        if (name.endsWith("Functions.class")) {
          classes.add(
              Class.forName(
                  "com.socactions.api." + name.substring(0, name.length() - ".class".length())));
        }
      }
    }
    return classes;
  }
}
