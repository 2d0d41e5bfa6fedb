package com.socactions.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.openapi.ConnectorRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The content linter on the shipped content (must pass) and on one broken fixture per rule (each
 * must fail with exactly that rule). The fixtures are {@code valid-playbook.json} with one thing
 * broken; the file name is the rule's id.
 */
class ContentLinterTest {
  /** The repository root, seen from the {@code functions} module (surefire's working directory). */
  static final Path REPOSITORY = Path.of("..");

  /** Fixtures are linted as if shipped as a playbook, so the playbook rules apply to them too. */
  private static final String AS_PLAYBOOK = "playbooks/Fixture/azuredeploy.json";

  private final ContentLinter linter = new ContentLinter(ConnectorRules.forTheConnector().root());

  @Test
  void everythingShippedPassesTheLinter() {
    assertThat(ContentLinter.contentFiles(REPOSITORY)).as("content files").isNotEmpty();
    assertThat(linter.lintRepository(REPOSITORY)).asString().isEqualTo("[]");
  }

  @Test
  void theValidFixturePassesTheLinter() {
    assertThat(linter.lint(AS_PLAYBOOK, fixture("valid-playbook.json"))).isEmpty();
  }

  static Stream<Rule> rules() {
    return Arrays.stream(Rule.values());
  }

  @ParameterizedTest
  @MethodSource("rules")
  void eachBrokenFixtureIsRejectedWithItsRuleAndNoOther(Rule rule) {
    List<Finding> findings = linter.lint(AS_PLAYBOOK, fixture("broken/" + rule.id() + ".json"));

    assertThat(findings)
        .as("findings for broken/%s.json", rule.id())
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f.rule()).as(f.toString()).isEqualTo(rule));
  }

  @Test
  void aFindingNamesTheFileThePathAndTheRule() {
    Finding finding = linter.lint(AS_PLAYBOOK, fixture("broken/run-after-exists.json")).get(0);

    assertThat(finding.toString())
        .isEqualTo(
            AS_PLAYBOOK
                + " $.resources[1].properties.definition.actions.Add_comment.runAfter:"
                + " 'Add_tags' is not an action of this scope [run-after-exists]");
  }

  @Test
  void onlyDeploymentTemplatesGetTheTemplateRules() {
    assertThat(
            linter.lint(
                "arm/createUiDefinition.json",
                "{\"parameters\": {\"x\": \"[parameters('nope')]\"}}"))
        .isEmpty();
  }

  private static String fixture(String name) {
    try (InputStream in = ContentLinterTest.class.getResourceAsStream("/content/" + name)) {
      assertThat(in).as("fixture content/%s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
