package com.socactions.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphDirectoryRolesTest {
  private static final String USER = "#microsoft.graph.user";
  private static final String ADMIN = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
  private static final String READER = "fa98168f-9f6c-49d2-b275-b2dab9a3966a";
  private static final String GROUP = "33333333-3333-3333-3333-333333333333";
  private static final String VIA_GROUP = "44444444-4444-4444-4444-444444444444";

  private GraphTesting t;
  private GraphDirectoryRoles roles;

  @BeforeEach
  void start() throws Exception {
    t = new GraphTesting();
    t.graph
        .addRoleMember("Global Administrator", ADMIN, USER)
        .addRoleMember("Directory Readers", READER, USER);
    roles =
        new GraphDirectoryRoles(
            t.client, GraphDirectoryRoles.DEFAULT_ROLES, Duration.ofMinutes(5), t.ticker);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void membersOfAConfiguredRoleArePrivilegedAndMembersOfOtherRolesAreNot() {
    assertThat(roles.rolesOf(ADMIN)).containsExactly("Global Administrator");
    assertThat(roles.isPrivileged(ADMIN.toUpperCase())).isTrue();
    assertThat(roles.isPrivileged(READER)).as("Directory Readers is not in the list").isFalse();
  }

  @Test
  void usersInAGroupAssignedToAPrivilegedRoleArePrivileged() {
    t.graph
        .addRole("55555555-5555-5555-5555-555555555555", "Security Administrator")
        .addRoleMember("Security Administrator", GROUP, "#microsoft.graph.group")
        .addGroup(GROUP, VIA_GROUP);

    assertThat(roles.rolesOf(VIA_GROUP)).containsExactly("Security Administrator");
    assertThat(roles.isPrivileged(GROUP)).as("the group itself is no user").isFalse();
  }

  @Test
  void membersAreReadOncePerTtl() {
    roles.isPrivileged(ADMIN);
    roles.isPrivileged(READER);
    int calls = t.graph.requests().size();
    assertThat(calls).as("role list plus one batch of members").isEqualTo(2);

    t.ticker.advance(Duration.ofMinutes(5));
    roles.isPrivileged(ADMIN);

    assertThat(t.graph.requests()).hasSize(2 * calls);
  }

  @Test
  void aFailureToReadTheMembersFailsRatherThanAnsweringNotPrivileged() {
    t.graph.failNext(3, 503, Map.of());

    assertThatThrownBy(() -> roles.isPrivileged(ADMIN)).isInstanceOf(UpstreamException.class);
  }

  @Test
  void roleNamesComeFromTheSettingOrTheDefaults() {
    assertThat(GraphDirectoryRoles.roleNames(Settings.of(Map.of())))
        .hasSize(10)
        .contains("Global Administrator");
    assertThat(
            GraphDirectoryRoles.roleNames(
                Settings.of(
                    Map.of(
                        GraphDirectoryRoles.ROLES_SETTING,
                        "Global Administrator , Directory Readers"))))
        .containsExactly("Global Administrator", "Directory Readers");
    assertThatThrownBy(
            () ->
                GraphDirectoryRoles.roleNames(
                    Settings.of(Map.of(GraphDirectoryRoles.ROLES_SETTING, " , "))))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void aConfiguredListDecidesWhoIsPrivileged() {
    GraphDirectoryRoles readers =
        new GraphDirectoryRoles(
            t.client, List.of("directory readers"), Duration.ofMinutes(5), t.ticker);

    assertThat(readers.isPrivileged(READER)).isTrue();
    assertThat(readers.isPrivileged(ADMIN)).isFalse();
  }
}
