package com.socactions.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.platform.FieldError;
import com.socactions.platform.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArmIncidentIdTest {
  private static final String SUBSCRIPTION = "d0cfe6b2-9ac0-4464-9919-dccaee2e48c0";
  private static final String RECORDED =
      "/subscriptions/"
          + SUBSCRIPTION
          + "/resourceGroups/myRg/providers/"
          + "Microsoft.OperationalInsights/workspaces/myWorkspace/providers/Microsoft.SecurityInsights/incidents/"
          + "73e01a99-5cd7-4139-a149-9f2736ff2ab5";

  @Test
  void theRecordedIncidentIdIsReadIntoItsParts() {
    ArmIncidentId id = ArmIncidentId.parse(RECORDED);

    assertThat(id)
        .isEqualTo(
            new ArmIncidentId(
                SUBSCRIPTION, "myRg", "myWorkspace", "73e01a99-5cd7-4139-a149-9f2736ff2ab5"));
    assertThat(id.resourceId()).isEqualTo(RECORDED);
    assertThat(id.path()).isEqualTo(RECORDED);
  }

  @Test
  void fixedSegmentsMatchInAnyCaseAndComeOutCanonical() {
    ArmIncidentId id =
        ArmIncidentId.parse(
            "  "
                + RECORDED
                    .replace("resourceGroups", "resourcegroups")
                    .replace("incidents", "Incidents")
                    .replace("Microsoft.SecurityInsights", "microsoft.securityinsights")
                + "\n");

    assertThat(id.resourceId()).isEqualTo(RECORDED);
  }

  @Test
  void aResourceGroupWithParenthesesDotsAndLettersBeyondAsciiIsEncodedInThePath() {
    ArmIncidentId id = ArmIncidentId.parse(RECORDED.replace("myRg", "rg.(prod)_Zürich"));

    assertThat(id.resourceGroup()).isEqualTo("rg.(prod)_Zürich");
    assertThat(id.path()).contains("/resourceGroups/rg.(prod)_Z%C3%BCrich/");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "73e01a99-5cd7-4139-a149-9f2736ff2ab5",
        "https://management.azure.com" + RECORDED,
        RECORDED + "/",
        RECORDED + "/comments/x",
        RECORDED + "?api-version=2024-09-01",
        RECORDED + "#x",
        "subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/incidents/x",
        "/subscriptions/not-a-guid/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/myWorkspace/"
            + "providers/Microsoft.SecurityInsights/incidents/x",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/../providers/Microsoft.OperationalInsights/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/incidents/x",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/incidents/..",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/incidents/a%2F..%2F..%2Fx",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/my%2FRg/providers/Microsoft.OperationalInsights/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/incidents/x",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/incidents/a?b",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/"
            + "my workspace/providers/Microsoft.SecurityInsights/incidents/x",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/alertRules/x",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/myRg/providers/Microsoft.Storage/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/incidents/x",
        "/subscriptions/"
            + SUBSCRIPTION
            + "//resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/incidents/x",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/"
            + "myWorkspace/providers/Microsoft.SecurityInsights/incidents/a\\b",
      })
  void anythingButExactlyAnIncidentIdIsRefusedNamingTheField(String text) {
    assertThatThrownBy(() -> ArmIncidentId.parse(text))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("incident_id"));
  }

  @Test
  void aNullIdIsRefusedNamingTheField() {
    assertThatThrownBy(() -> ArmIncidentId.parse(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("incident_id");
  }

  @Test
  void partsAreCheckedWhenBuiltDirectlyToo() {
    assertThatThrownBy(() -> new ArmIncidentId(SUBSCRIPTION, "myRg", "myWorkspace", "x/../../y"))
        .isInstanceOf(InvalidInputException.class);
  }
}
