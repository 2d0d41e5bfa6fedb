package com.socactions.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code arm/azuredeploy.json} is generated from {@code arm/main.json} and the components it
 * includes, and cannot drift from them; and what ARM would only show at (re)deployment time holds
 * without deploying: nothing linked, the code deployed from the package, the connections' key
 * created by the template and never read from a host without code, app settings merged so that an
 * empty secret parameter changes nothing, and the update rule's conditions. To regenerate: {@code
 * mvn -pl functions test -Dtest=DeployTemplateTest -Dsoc.content.regenerate=true}.
 */
class DeployTemplateTest {
  private static final Path ROOT = ContentLinterTest.REPOSITORY;
  private static final Path COMMITTED = ROOT.resolve(DeployTemplate.FILE);

  @Test
  void theCommittedTemplateIsTheOneGeneratedFromItsSources() throws IOException {
    String generated = ConnectorTemplate.render(DeployTemplate.generate(ROOT));
    if (Boolean.getBoolean("soc.content.regenerate")) {
      Files.writeString(COMMITTED, generated);
    }
    assertThat(Files.readString(COMMITTED))
        .as("%s drifted from its sources: regenerate it (see this test's Javadoc)", COMMITTED)
        .isEqualTo(generated);
  }

  @Test
  void everyNestedTemplateIsInlineWithItsOwnScope() {
    JsonNode template = DeployTemplate.generate(ROOT);
    List<String> problems = new ArrayList<>();
    for (JsonNode resource : template.path("resources")) {
      if (!resource.path("type").asText().equals("Microsoft.Resources/deployments")) {
        continue;
      }
      String name = resource.path("name").asText();
      if (!resource.at("/properties/template/resources").isArray()) {
        problems.add(name + ": no inline template");
      }
      if (!resource.at("/properties/expressionEvaluationOptions/scope").asText().equals("inner")) {
        problems.add(name + ": not inner scope");
      }
    }
    assertThat(DeployTemplate.includes(ROOT)).hasSizeGreaterThanOrEqualTo(9);
    assertThat(problems).isEmpty();
  }

  @Test
  void nothingDeployableLinksATemplate() throws IOException {
    List<String> linked = new ArrayList<>();
    for (Path file : ContentLinter.contentFiles(ROOT)) {
      String text = Files.readString(file);
      if (text.contains("\"templateLink\"") || text.contains("\"relativePath\"")) {
        linked.add(ROOT.relativize(file).toString());
      }
    }
    assertThat(linked).isEmpty();
  }

  /**
   * The host runtime of an app without code answers ServiceUnavailable, so no expression may read a
   * key from {@code Microsoft.Web/sites/host}; the key the connections use is created with a value
   * the template chose, after the code is deployed.
   */
  @Test
  void theConnectionsKeyIsCreatedByTheTemplateAfterTheCodeAndNeverReadBack() throws IOException {
    for (Path file : ContentLinter.contentFiles(ROOT)) {
      assertThat(Files.readString(file))
          .as(ROOT.relativize(file).toString())
          .doesNotContainPattern("(?i)list\\w*\\([^\\]]*Microsoft\\.Web/sites/host");
    }
    JsonNode app = DeployTemplate.read(ROOT.resolve("arm/functionapp.json"));
    JsonNode key = resourceOfType(app, "Microsoft.Web/sites/host/functionKeys");
    assertThat(key.at("/properties/value").asText()).isEqualTo("[parameters('ConnectorKey')]");
    assertThat(key.path("dependsOn").toString()).contains("'onedeploy'");
    JsonNode deploy = resourceOfType(app, "Microsoft.Web/sites/extensions");
    assertThat(deploy.path("name").asText()).endsWith("'/onedeploy')]");
    assertThat(deploy.path("properties").asText())
        .contains("'packageUri', parameters('PackageUri')");
    assertThat(app.at("/parameters/PackageUri").has("defaultValue"))
        .as("PackageUri required")
        .isFalse();

    JsonNode top = DeployTemplate.generate(ROOT);
    JsonNode functionApp = deployment(top, "soc-actions-functionapp");
    assertThat(functionApp.at("/properties/parameters/ConnectorKey/value").asText())
        .isEqualTo("[variables('connectorKey')]");
    int playbooks = 0;
    for (JsonNode resource : top.path("resources")) {
      JsonNode key1 = resource.at("/properties/parameters/FunctionKey/value");
      if (key1.isMissingNode()) {
        continue;
      }
      playbooks++;
      assertThat(key1.asText())
          .as(resource.path("name").asText())
          .isEqualTo("[variables('connectorKey')]");
      assertThat(resource.path("dependsOn").toString())
          .as("%s waits for the Function App (its key)", resource.path("name").asText())
          .contains("'soc-actions-functionapp'");
    }
    assertThat(playbooks).isEqualTo(6);
  }

  /**
   * {@code config/appsettings} replaces the whole set, so the template writes the settings the app
   * has (read with {@code list()}) with its own over them; a setting whose parameter is empty is
   * left out of the template's part, so it keeps the value the app has. Secrets live in Key Vault
   * and their secret is written only when the parameter is given.
   */
  @Test
  void aRedeployWithEmptySecretParametersChangesNoSetting() {
    JsonNode app = DeployTemplate.read(ROOT.resolve("arm/functionapp.json"));
    JsonNode settings = resourceOfType(app, "Microsoft.Web/sites/config");
    String merge = settings.path("properties").asText();
    assertThat(merge)
        .startsWith(
            "[union(list(resourceId('Microsoft.Web/sites/config', variables('functionAppName'),"
                + " 'appsettings'), '"
                + ApiVersions.of("Microsoft.Web/sites/config").orElseThrow().version()
                + "').properties, ");

    List<String> problems = new ArrayList<>();
    app.path("parameters")
        .fields()
        .forEachRemaining(
            p -> {
              String name = p.getKey();
              String ref = "parameters('" + name + "')";
              if (!merge.contains(ref)) {
                return;
              }
              if (!p.getValue().path("type").asText().equalsIgnoreCase("securestring")) {
                return;
              }
              Matcher guarded =
                  Pattern.compile(
                          Pattern.quote("if(empty(" + ref + "), createObject(), createObject('")
                              + "[A-Z_]+', format\\(variables\\('keyVaultReference'\\)")
                      .matcher(merge);
              if (!guarded.find()) {
                problems.add(
                    name + ": its setting is not a Key Vault reference written only when given");
              }
              JsonNode secret = secretFor(app, ref);
              if (secret == null
                  || !secret.path("condition").asText().equals("[not(empty(" + ref + "))]")) {
                problems.add(name + ": its Key Vault secret is not written only when given");
              }
            });
    assertThat(problems).isEmpty();
  }

  /**
   * The update rule runs Sync-Ticket only when status, severity or owner changed (PropertyChanged
   * conditions joined by Or), never for comments, tags or entities; it is created after Microsoft
   * Sentinel may run the playbooks.
   */
  @Test
  void theUpdateRuleRunsOnlyWhenStatusSeverityOrOwnerChange() {
    JsonNode rules = DeployTemplate.read(ROOT.resolve("arm/automation-rules.json"));
    JsonNode update = null;
    for (JsonNode rule : rules.path("resources")) {
      if (rule.at("/properties/triggeringLogic/triggersWhen").asText().equals("Updated")) {
        update = rule;
      }
    }
    assertThat(update).isNotNull();
    assertThat(update.path("apiVersion").asText()).isEqualTo("2025-09-01");
    JsonNode conditions = update.at("/properties/triggeringLogic/conditions");
    List<String> changed = new ArrayList<>();
    for (JsonNode condition : conditions) {
      String type = condition.path("conditionType").asText();
      assertThat(type).as("top-level condition").isIn("Property", "Boolean");
      if (type.equals("Boolean")) {
        assertThat(condition.at("/conditionProperties/operator").asText()).isEqualTo("Or");
        for (JsonNode inner : condition.at("/conditionProperties/innerConditions")) {
          assertThat(inner.path("conditionType").asText()).isEqualTo("PropertyChanged");
          changed.add(inner.at("/conditionProperties/propertyName").asText());
        }
      }
    }
    assertThat(changed)
        .containsExactlyInAnyOrder("IncidentStatus", "IncidentSeverity", "IncidentOwner");

    JsonNode top = DeployTemplate.generate(ROOT);
    JsonNode deployment = deployment(top, "soc-actions-automation-rules");
    assertThat(deployment.path("dependsOn").toString())
        .contains("Microsoft.Authorization/roleAssignments")
        .contains("variables('automationContributorAssignment')");
    JsonNode assignment = resourceOfType(top, "Microsoft.Authorization/roleAssignments");
    assertThat(assignment.path("condition").asText())
        .as("rules on: the assignment is made (and fails on an empty principal id)")
        .contains("parameters('DeployAutomationRules')");
  }

  /** With approval off, Block-Indicators has no Teams connection and no Teams action. */
  @Test
  void theTeamsConnectionExistsOnlyWithApproval() {
    JsonNode playbook =
        DeployTemplate.read(ROOT.resolve("playbooks/Block-Indicators/azuredeploy.json"));
    JsonNode teams = null;
    JsonNode workflow = null;
    for (JsonNode resource : playbook.path("resources")) {
      if (resource.path("name").asText().contains("TeamsConnectionName")) {
        teams = resource;
      }
      if (resource.path("type").asText().equals("Microsoft.Logic/workflows")) {
        workflow = resource;
      }
    }
    assertThat(teams.path("condition").asText()).isEqualTo("[parameters('RequireApproval')]");
    assertThat(workflow.at("/properties/parameters/$connections/value").asText())
        .isEqualTo(
            "[union(variables('BaseConnections'), if(parameters('RequireApproval'),"
                + " variables('TeamsConnections'), json('{}')))]");
    assertThat(workflow.at("/properties/definition").toString()).doesNotContain("['teams']");
    assertThat(playbook.at("/variables/ApprovalActions").toString()).contains("['teams']");
  }

  private static JsonNode resourceOfType(JsonNode template, String type) {
    for (JsonNode resource : template.path("resources")) {
      if (resource.path("type").asText().equals(type)) {
        return resource;
      }
    }
    throw new AssertionError("no " + type);
  }

  private static JsonNode deployment(JsonNode template, String name) {
    for (JsonNode resource : template.path("resources")) {
      if (resource.path("name").asText().equals(name)) {
        return resource;
      }
    }
    throw new AssertionError("no deployment " + name);
  }

  private static JsonNode secretFor(JsonNode app, String ref) {
    for (JsonNode resource : app.path("resources")) {
      if (resource.path("type").asText().equals("Microsoft.KeyVault/vaults/secrets")
          && resource.at("/properties/value").asText().equals("[" + ref + "]")) {
        return resource;
      }
    }
    return null;
  }
}
