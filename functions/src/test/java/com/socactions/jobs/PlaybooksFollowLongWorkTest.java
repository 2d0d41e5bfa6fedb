package com.socactions.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.socactions.ledger.Action;
import com.socactions.openapi.ConnectorRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Block-Indicators and Contain-Account playbooks need no change for long work: Logic Apps
 * follows a connector action's 202 and polls its {@code Location} unless the action turns that off,
 * and the answer it finally gets is the operation's 200 body, which the playbooks read as before.
 * This pins that down: every SOC Actions action of theirs calls an operation that documents the 202
 * with {@code Location}, none turns the asynchronous pattern off, and none limits its own duration.
 */
class PlaybooksFollowLongWorkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode DEFINITION = ConnectorRules.forTheConnector().root();

  private record Action(String playbook, String name, JsonNode node) {}

  private static List<Action> socActions(String playbook) throws Exception {
    JsonNode template =
        JSON.readTree(Files.readString(Path.of("..", "playbooks", playbook, "azuredeploy.json")));
    List<Action> found = new ArrayList<>();
    collect(playbook, template, found);
    return found;
  }

  private static void collect(String playbook, JsonNode node, List<Action> found) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        JsonNode value = field.getValue();
        if (value.isObject()
            && "ApiConnection".equals(value.path("type").asText())
            && value.at("/inputs/path").asText().startsWith("/v1/")) {
          found.add(new Action(playbook, field.getKey(), value));
        }
        collect(playbook, value, found);
      }
    } else if (node.isArray()) {
      node.forEach(item -> collect(playbook, item, found));
    }
  }

  @Test
  void theirSocActionsCallOperationsThatAnswer202WithLocationAndLeaveThePollingToLogicApps()
      throws Exception {
    List<Action> actions = new ArrayList<>(socActions("Block-Indicators"));
    actions.addAll(socActions("Contain-Account"));

    assertThat(actions)
        .extracting(Action::name)
        .contains("Block_indicators", "Disable_accounts", "Confirm_compromised");
    for (Action action : actions) {
      String method = action.node().at("/inputs/method").asText().toLowerCase();
      String path = action.node().at("/inputs/path").asText();
      JsonNode accepted =
          DEFINITION.path("paths").path(path).path(method).path("responses").path("202");
      assertThat(accepted.at("/headers/Location/type").asText())
          .as(action.playbook() + " " + action.name() + " (" + method + " " + path + ")")
          .isEqualTo("string");
      assertThat(action.node().path("operationOptions").asText())
          .as(action.name() + ": operationOptions")
          .doesNotContain("DisableAsyncPattern");
      assertThat(action.node().at("/limit/timeout").isMissingNode())
          .as(action.name() + ": limit.timeout")
          .isTrue();
    }
  }
}
