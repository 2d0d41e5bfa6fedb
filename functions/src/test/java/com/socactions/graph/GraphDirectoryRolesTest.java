package com.socactions.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphDirectoryRolesTest {
  private static final String USER = "#microsoft.graph.user";
  private static final String ADMIN = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
  private static final String READER = "fa98168f-9f6c-49d2-b275-b2dab9a3966a";
  private static final String GROUP = "33333333-3333-3333-3333-333333333333";
  private static final String VIA_GROUP = "44444444-4444-4444-4444-444444444444";
  private static final String ELIGIBLE = "66666666-6666-6666-6666-666666666666";
  private static final String READER_TO_BE = "77777777-7777-7777-7777-777777777777";
  private static final String OTHER_GROUP = "88888888-8888-8888-8888-888888888888";
  private static final String OTHER_USER = "99999999-9999-9999-9999-999999999991";
  private static final String OTHER_USER_2 = "99999999-9999-9999-9999-999999999992";
  private static final String OTHER_USER_3 = "99999999-9999-9999-9999-999999999993";
  private static final String CUSTOM_ROLE = "aaaaaaaa-0000-0000-0000-00000000000a";
  private static final String GROUP_TYPE = "#microsoft.graph.group";

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
        .addRoleMember("Security Administrator", GROUP, GROUP_TYPE)
        .addGroup(GROUP, VIA_GROUP);

    assertThat(roles.rolesOf(VIA_GROUP))
        .containsExactly("Security Administrator (member of group " + GROUP + ")");
    assertThat(roles.isPrivileged(GROUP)).as("the group itself is no user").isFalse();
  }

  @Test
  void aUserEligibleThroughPimForAPrivilegedRoleIsPrivilegedAndForAnotherRoleIsNot() {
    t.graph
        .addEligibility("Global Administrator", ELIGIBLE, USER)
        .addEligibility("Directory Readers", READER_TO_BE, USER);

    assertThat(roles.rolesOf(ELIGIBLE))
        .containsExactly("Global Administrator (eligible through PIM)");
    assertThat(roles.isPrivileged(READER_TO_BE)).isFalse();
  }

  @Test
  void anEligibleAndActiveAdminIsListedWithBoth() {
    t.graph.addEligibility("Privileged Role Administrator", ADMIN, USER);

    assertThat(roles.rolesOf(ADMIN))
        .containsExactly(
            "Global Administrator", "Privileged Role Administrator (eligible through PIM)");
  }

  @Test
  void membersOfAGroupEligibleForAPrivilegedRoleArePrivileged() {
    t.graph
        .addGroup(GROUP, VIA_GROUP)
        .addEligibility("Privileged Role Administrator", GROUP, GROUP_TYPE);

    assertThat(roles.rolesOf(VIA_GROUP))
        .containsExactly(
            "Privileged Role Administrator (eligible through PIM; member of group " + GROUP + ")");
  }

  @Test
  void usersEligibleThroughPimForGroupsAsMemberOrOwnerOfAPrivilegedGroupArePrivileged() {
    t.graph
        .addGroup(GROUP)
        .addRoleMember("Global Administrator", GROUP, GROUP_TYPE)
        .addGroupEligibility(GROUP, ELIGIBLE, "member")
        .addGroupEligibility(GROUP, VIA_GROUP, "owner")
        .addGroupEligibility(OTHER_GROUP, READER_TO_BE, "member");

    assertThat(roles.rolesOf(ELIGIBLE))
        .containsExactly(
            "Global Administrator (eligible member of group " + GROUP + " through PIM for Groups)");
    assertThat(roles.rolesOf(VIA_GROUP))
        .containsExactly(
            "Global Administrator (eligible owner of group " + GROUP + " through PIM for Groups)");
    assertThat(roles.isPrivileged(READER_TO_BE)).as("that group holds no role").isFalse();
  }

  @Test
  void aBuiltInRoleNeverActivatedHasNoMembersButItsEligibleUsersArePrivileged() {
    t.graph.addEligibility("Exchange Administrator", ELIGIBLE, USER);

    assertThat(roles.rolesOf(ELIGIBLE))
        .containsExactly("Exchange Administrator (eligible through PIM)");
    assertThat(t.graph.inner())
        .anySatisfy(
            inner -> {
              assertThat(inner.url()).contains("/directoryRoles/roleTemplateId=");
              assertThat(inner.status()).isEqualTo(404);
            });
  }

  @Test
  void eligibilityForAConfiguredCustomRoleCounts() {
    t.graph
        .addCustomRole(CUSTOM_ROLE, "Tier 0 Helpdesk")
        .addEligibility("Tier 0 Helpdesk", ELIGIBLE, USER);
    GraphDirectoryRoles custom =
        new GraphDirectoryRoles(
            t.client, List.of("tier 0 helpdesk"), Duration.ofMinutes(5), t.ticker);

    assertThat(custom.rolesOf(ELIGIBLE)).containsExactly("Tier 0 Helpdesk (eligible through PIM)");
    assertThat(t.graph.inner())
        .as("a custom role is no directory role: its members are not asked there")
        .noneMatch(inner -> inner.url().contains("/directoryRoles/"));
  }

  @Test
  void aTenantWithoutAPimLicenceHasNobodyEligibleAndActiveMembersStillCount() {
    t.graph.withoutPimLicence().addRoleMember("Global Administrator", GROUP, GROUP_TYPE);
    t.graph.addGroup(GROUP, VIA_GROUP);

    assertThat(roles.rolesOf(ADMIN)).containsExactly("Global Administrator");
    assertThat(roles.rolesOf(VIA_GROUP))
        .containsExactly("Global Administrator (member of group " + GROUP + ")");
    assertThat(t.graph.inner())
        .filteredOn(inner -> inner.url().contains("eligibilityScheduleInstances"))
        .isNotEmpty()
        .allSatisfy(inner -> assertThat(inner.status()).isEqualTo(400));
  }

  @ParameterizedTest(name = "{0} refused: {1}")
  @CsvSource({
    "/roleManagement/directory/roleDefinitions, RoleManagement.Read.Directory",
    "/directoryRoles/, RoleManagement.Read.Directory",
    "roleEligibilityScheduleInstances, RoleEligibilitySchedule.Read.Directory",
    "transitiveMembers, GroupMember.Read.All",
    "privilegedAccess/group, PrivilegedEligibilitySchedule.Read.AzureADGroup"
  })
  void aRefusedListFailsNamingThePermissionToGrant(String list, String permission) {
    t.graph
        .addGroup(GROUP, VIA_GROUP)
        .addRoleMember("Security Administrator", GROUP, GROUP_TYPE)
        .withoutPermissionFor(list);

    assertThatThrownBy(() -> roles.isPrivileged(ADMIN))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.failure()).isEqualTo(UpstreamFailure.FORBIDDEN))
        .hasMessageContaining("could not list")
        .hasMessageContaining(
            "grant the app's identity the Microsoft Graph permission " + permission);
  }

  @Test
  void pimForGroupsIsAskedOnlyWhenAGroupHoldsARoleAndARefusalThenFails() {
    t.graph.withoutPermissionFor("privilegedAccess/group");
    assertThat(roles.rolesOf(ADMIN)).containsExactly("Global Administrator");

    t.graph.addGroup(GROUP, VIA_GROUP).addEligibility("Global Administrator", GROUP, GROUP_TYPE);
    t.ticker.advance(Duration.ofMinutes(5));

    assertThatThrownBy(() -> roles.isPrivileged(ADMIN))
        .isInstanceOf(UpstreamException.class)
        .hasMessageContaining("PrivilegedEligibilitySchedule.Read.AzureADGroup");
  }

  @Test
  void eligibilityThrottledPastItsRetriesFailsRatherThanAnsweringNotEligible() {
    t.graph
        .addEligibility("Global Administrator", ELIGIBLE, USER)
        .throttle("roleEligibilityScheduleInstances", 1_000, "1");

    assertThatThrownBy(() -> roles.isPrivileged(ELIGIBLE))
        .isInstanceOf(UpstreamException.class)
        .hasMessageContaining("429");
    assertThat(t.ticker.sleeps()).as("retried inside the batch, on the test's ticker").isNotEmpty();
  }

  @Test
  void everyPageOfEveryListIsRead() {
    List<String> eligible = t.addUsers(7);
    eligible.forEach(id -> t.graph.addEligibility("Security Administrator", id, USER));
    t.graph
        .addGroup(GROUP, ELIGIBLE, VIA_GROUP, READER_TO_BE)
        .addRoleMember("User Administrator", GROUP, GROUP_TYPE)
        .addGroupEligibility(GROUP, OTHER_USER, "member")
        .addGroupEligibility(GROUP, OTHER_USER_2, "member")
        .addGroupEligibility(GROUP, OTHER_USER_3, "owner")
        .pageSize(2);

    Map<String, List<String>> members = roles.members();

    assertThat(eligible).allSatisfy(id -> assertThat(members).containsKey(id));
    assertThat(List.of(ELIGIBLE, VIA_GROUP, READER_TO_BE, OTHER_USER, OTHER_USER_2, OTHER_USER_3))
        .allSatisfy(id -> assertThat(members).containsKey(id));
    assertThat(members).containsKey(ADMIN);
    assertThat(t.graph.inner()).anyMatch(inner -> inner.url().contains("$skiptoken="));
  }

  @Test
  void oneReadingCostsOneListAndOneBatchPlusOneForGroupsWhateverTheNumberOfAccountsChecked() {
    t.graph
        .addEligibility("Global Administrator", ELIGIBLE, USER)
        .addGroup(GROUP, VIA_GROUP)
        .addEligibility("User Administrator", GROUP, GROUP_TYPE);
    List<String> accounts = t.addUsers(50);

    accounts.forEach(roles::isPrivileged);
    roles.isPrivileged(ELIGIBLE);
    roles.isPrivileged(VIA_GROUP);

    // GET roleDefinitions; $batch of 2 lists per configured role; $batch of 2 lists per group.
    assertThat(t.graph.requests()).hasSize(3);
    assertThat(t.graph.batchCalls()).isEqualTo(2);
    assertThat(t.graph.inner())
        .filteredOn(inner -> inner.url().startsWith("/roleManagement/directory/roleEligibility"))
        .hasSize(GraphDirectoryRoles.DEFAULT_ROLES.size());
    assertThat(t.graph.inner())
        .filteredOn(inner -> inner.url().startsWith("/directoryRoles/"))
        .hasSize(GraphDirectoryRoles.DEFAULT_ROLES.size());
    assertThat(t.graph.inner())
        .filteredOn(inner -> inner.url().startsWith("/groups/") || inner.url().contains("group/"))
        .hasSize(2);
  }

  @Test
  void anEligibilityRemovedInPimStopsCountingAtTheNextReading() {
    t.graph.addEligibility("Global Administrator", ELIGIBLE, USER);
    assertThat(roles.isPrivileged(ELIGIBLE)).isTrue();

    t.graph.removeEligibilities(ELIGIBLE);
    assertThat(roles.isPrivileged(ELIGIBLE)).as("cached until the TTL").isTrue();
    t.ticker.advance(GraphDirectoryRoles.DEFAULT_CACHE_TTL);

    assertThat(roles.isPrivileged(ELIGIBLE)).isFalse();
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
    assertThat(GraphModule.Options.from(Settings.of(Map.of())).privilegedRoles())
        .hasSize(10)
        .contains("Global Administrator");
    assertThat(
            GraphModule.Options.from(
                    Settings.of(
                        Map.of(
                            GraphDirectoryRoles.ROLES_SETTING,
                            "Global Administrator , Directory Readers")))
                .privilegedRoles())
        .containsExactly("Global Administrator", "Directory Readers");
    assertThatThrownBy(
            () ->
                GraphModule.Options.from(
                        Settings.of(Map.of(GraphDirectoryRoles.ROLES_SETTING, " , ")))
                    .privilegedRoles())
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
