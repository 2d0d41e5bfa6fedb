package com.socactions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.socactions.blocking.GuardrailOverride;
import com.socactions.cmdb.CmdbService;
import com.socactions.cmdb.ServiceNowCmdb;
import com.socactions.graph.FakeGraph;
import com.socactions.graph.GraphClient;
import com.socactions.graph.GraphDirectoryRoles;
import com.socactions.graph.GraphModule;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.LedgerEntry;
import com.socactions.ledger.LedgerHistory;
import com.socactions.ledger.LedgerState;
import com.socactions.ledger.TestLedgers;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamException;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * Identity response below HTTP: the real Graph client on the stateful fake Graph, the real ledger
 * on Azurite; the VIP lookup, the connector's own id and (for fail-closed) the role reader are
 * given as plain functions.
 */
@ExtendWith(Azurite.class)
class IdentityServiceTest {
  private static final String TOKEN = "graph-token";
  private static final String ADELE = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
  private static final String ADMIN = "11111111-0000-0000-0000-000000000001";
  private static final String BREAK_GLASS = "11111111-0000-0000-0000-000000000002";
  private static final String SELF = "11111111-0000-0000-0000-000000000003";
  private static final String CEO = "11111111-0000-0000-0000-000000000004";
  private static final String BOB = "11111111-0000-0000-0000-000000000005";
  private static final String ELIGIBLE_ADMIN = "11111111-0000-0000-0000-000000000006";
  private static final String GROUP_ADMIN = "11111111-0000-0000-0000-000000000007";
  private static final String ADMINS_GROUP = "11111111-0000-0000-0000-0000000000a1";
  private static final String GROUP = "#microsoft.graph.group";
  private static final String INCIDENT =
      "/subscriptions/s/providers/Microsoft.SecurityInsights/Incidents/9";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private FakeGraph graph;
  private GraphModule module;
  private BlockLedger ledger;
  private Supplier<GraphDirectoryRoles> roles;

  /** The sample CMDB: ceo@contoso.com is a VIP. */
  private VipAccounts vips = VipAccounts.of(TestKit.cmdb(Settings.of(Map.of()), clock).service());

  private IdentityService service;

  @BeforeEach
  void start() throws Exception {
    graph =
        FakeGraph.start(TOKEN)
            .seedRecorded()
            .addUser(ADMIN, "admin@contoso.com")
            .addUser(BREAK_GLASS, "breakglass@contoso.com")
            .addUser(SELF, "soc-actions@contoso.com")
            .addUser(CEO, "ceo@contoso.com")
            .addUser(BOB, "bob@contoso.com")
            .addUser(ELIGIBLE_ADMIN, "eligible-admin@contoso.com")
            .addUser(GROUP_ADMIN, "group-admin@contoso.com")
            .addRoleMember("Global Administrator", ADMIN, "#microsoft.graph.user")
            .addEligibility("Global Administrator", ELIGIBLE_ADMIN, "#microsoft.graph.user")
            .addGroup(ADMINS_GROUP, GROUP_ADMIN)
            .addEligibility("Global Administrator", ADMINS_GROUP, GROUP);
    AzureCredentials credentials =
        AzureCredentials.of(
            request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1))));
    module =
        new GraphModule(
            Settings.of(Map.of(GraphClient.URL_SETTING, graph.baseUrl())),
            TestKit.kit(clock, duration -> {}),
            credentials,
            () -> TimeUnit.MILLISECONDS.toNanos(clock.millis()),
            UpstreamBudgets.local(clock, duration -> {}));
    ledger = TestLedgers.fresh(clock);
    roles = module::directoryRoles;
    service = service();
  }

  private IdentityService service() {
    return new IdentityService(
        module::users,
        () -> roles.get(),
        module::identityProtection,
        () -> ledger,
        () -> new ProtectedAccounts(Set.of("BreakGlass@contoso.com")),
        () -> Optional.of(SELF),
        upns -> vips.vips(upns),
        clock);
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  private static AccountCommand disable(
      List<String> accounts, boolean dryRun, GuardrailOverride override) {
    return new AccountCommand(
        accounts, false, "phishing", INCIDENT, dryRun, override, "run-1", "analyst@contoso.com");
  }

  private static AccountCommand disable(String... accounts) {
    return disable(List.of(accounts), false, GuardrailOverride.NONE);
  }

  private long patches() {
    return graph.inner().stream().filter(inner -> inner.method().equals("PATCH")).count();
  }

  private LedgerEntry row(String id) {
    return ledger
        .find(IdentityService.PROVIDER, new Indicator(IndicatorType.ACCOUNT, id, id))
        .orElseThrow();
  }

  @Test
  void guardrailsRefuseProtectedSelfPrivilegedAndVipAccountsBeforeAnyWriteAndRecordEachRefusal() {
    AccountResponse response =
        service.disable(
            disable(
                "breakglass@CONTOSO.com",
                BREAK_GLASS,
                "soc-actions@contoso.com",
                "admin@contoso.com",
                "ceo@contoso.com",
                "bob@contoso.com"));

    assertThat(response.results())
        .extracting(AccountResult::status)
        .containsExactly(
            AccountStatus.REFUSED,
            AccountStatus.REFUSED,
            AccountStatus.REFUSED,
            AccountStatus.REFUSED,
            AccountStatus.REFUSED,
            AccountStatus.DISABLED);
    assertThat(response.results())
        .extracting(AccountResult::reason)
        .containsExactly("protected", "protected", "self", "privileged_role", "vip", null);
    assertThat(response.results().get(3).detail()).contains("Global Administrator");
    assertThat(graph.user(ADMIN).path("accountEnabled").asBoolean()).isTrue();
    assertThat(graph.user(BOB).path("accountEnabled").asBoolean()).isFalse();
    assertThat(patches()).isEqualTo(1);
    for (String id : List.of(BREAK_GLASS, SELF, ADMIN, CEO)) {
      assertThat(row(id).state()).isEqualTo(LedgerState.REFUSED);
      assertThat(row(id).incidentId()).isEqualTo(INCIDENT);
    }
    assertThat(row(ADMIN).guardrail()).isEqualTo("privileged_role");
    assertThat(row(BOB).state()).isEqualTo(LedgerState.ACTIVE);
    assertThat(row(BOB).requestedBy()).isEqualTo("analyst@contoso.com");
  }

  @Test
  void privilegedAndVipAccountsNeedAnOverrideWithAJustificationAndProtectedOnesNeverPass() {
    AccountResponse unjustified =
        service.disable(
            disable(
                List.of("admin@contoso.com", "ceo@contoso.com"),
                false,
                new GuardrailOverride(true, " ")));
    assertThat(unjustified.results())
        .extracting(AccountResult::reason)
        .containsOnly("justification_required");

    AccountResponse justified =
        service.disable(
            disable(
                List.of("admin@contoso.com", "ceo@contoso.com", "breakglass@contoso.com", SELF),
                false,
                GuardrailOverride.justifiedBy("CISO approved, CHG0042")));

    assertThat(justified.results())
        .extracting(AccountResult::status)
        .containsExactly(
            AccountStatus.DISABLED,
            AccountStatus.DISABLED,
            AccountStatus.REFUSED,
            AccountStatus.REFUSED);
    assertThat(justified.results().get(0).detail())
        .contains("override lifted")
        .contains("Global Administrator");
    assertThat(row(ADMIN).justification()).isEqualTo("CISO approved, CHG0042");
    assertThat(graph.user(BREAK_GLASS).path("accountEnabled").asBoolean()).isTrue();
  }

  @Test
  void unreadableRolesRefuseEvenWithAJustifiedOverrideAndSaySo() {
    roles =
        () -> {
          throw UpstreamException.retryLater(GraphClient.UPSTREAM, "Microsoft Graph is down", null);
        };
    GuardrailOverride justified = GuardrailOverride.justifiedBy("CISO approved, CHG0042");

    AccountResponse plain = service.disable(disable("bob@contoso.com"));
    AccountResponse overridden =
        service.disable(disable(List.of("bob@contoso.com"), false, justified));
    AccountResponse unjustified =
        service.disable(
            disable(List.of("bob@contoso.com"), false, new GuardrailOverride(true, "")));

    for (AccountResponse response : List.of(plain, overridden, unjustified)) {
      AccountResult result = response.results().get(0);
      assertThat(result.status()).isEqualTo(AccountStatus.REFUSED);
      assertThat(result.reason()).isEqualTo("privileged_role_unknown");
      assertThat(result.detail())
          .contains("could not be read")
          .contains("Microsoft Graph is down")
          .contains("override_guardrails does not lift this");
    }
    assertThat(patches()).isZero();
    assertThat(graph.user(BOB).path("accountEnabled").asBoolean()).isTrue();
    assertThat(row(BOB).guardrail()).isEqualTo("privileged_role_unknown");
  }

  @Test
  void anUnreadableEligibilityListRefusesEveryActionEvenWithAJustifiedOverride() {
    graph.withoutPermissionFor("roleEligibilityScheduleInstances");
    GuardrailOverride justified = GuardrailOverride.justifiedBy("IR lead approved");
    AccountCommand command = disable(List.of("bob@contoso.com"), false, justified);

    List<AccountResponse> responses =
        List.of(
            service.disable(command),
            service.revokeSessions(command),
            service.confirmCompromised(command));

    assertThat(responses)
        .allSatisfy(
            response -> {
              AccountResult result = response.results().get(0);
              assertThat(result.reason()).isEqualTo("privileged_role_unknown");
              assertThat(result.detail())
                  .contains("403")
                  .contains("RoleEligibilitySchedule.Read.Directory")
                  .contains("does not lift");
            });
    assertThat(patches()).isZero();
    assertThat(graph.revocations(BOB)).isZero();
    assertThat(graph.confirmed()).isEmpty();

    graph.restorePermissions();
    AccountResponse granted = service.disable(disable("bob@contoso.com"));
    assertThat(granted.results().get(0).status())
        .as("a failed reading is not cached")
        .isEqualTo(AccountStatus.DISABLED);
  }

  @Test
  void anUnansweringCmdbRefusesEvenWithAJustifiedOverrideAndSaySo() throws Exception {
    try (FakeServiceNow serviceNow = FakeServiceNow.start("soc", "secret").seedCmdb()) {
      ServiceNowCmdb cmdb =
          TestKit.serviceNowCmdb(
              Settings.of(
                  Map.of(
                      "SERVICENOW_URL", serviceNow.url(),
                      "SERVICENOW_USER", "soc",
                      "SERVICENOW_PASSWORD", "secret")),
              clock,
              wait -> {});
      vips = VipAccounts.of(new CmdbService(List.of(cmdb), cmdb.id()));
      serviceNow.failNext(100, 503, Map.of());

      AccountResponse response =
          service.disable(
              disable(
                  List.of("bob@contoso.com"),
                  false,
                  GuardrailOverride.justifiedBy("CISO approved, CHG0042")));

      AccountResult result = response.results().get(0);
      assertThat(result.status()).isEqualTo(AccountStatus.REFUSED);
      assertThat(result.reason()).isEqualTo("vip_unknown");
      assertThat(result.detail()).contains("may be a VIP").contains("does not lift");
      assertThat(patches()).isZero();
    }
  }

  @Test
  void anAdminEligibleThroughPimDirectlyOrThroughAGroupIsRefusedWithoutAJustifiedOverride() {
    for (String admin : List.of("eligible-admin@contoso.com", "group-admin@contoso.com")) {
      AccountCommand plain = disable(admin);
      assertThat(
              List.of(
                  service.disable(plain),
                  service.revokeSessions(plain),
                  service.confirmCompromised(plain)))
          .as(admin)
          .allSatisfy(
              response -> {
                assertThat(response.results().get(0).status()).isEqualTo(AccountStatus.REFUSED);
                assertThat(response.results().get(0).reason()).isEqualTo("privileged_role");
                assertThat(response.results().get(0).detail())
                    .contains("Global Administrator (eligible through PIM");
              });
    }
    assertThat(service.disable(disable("group-admin@contoso.com")).results().get(0).detail())
        .contains("member of group " + ADMINS_GROUP);
    assertThat(patches()).isZero();
    assertThat(graph.revocations(ELIGIBLE_ADMIN)).isZero();
    assertThat(graph.confirmed()).isEmpty();
  }

  @Test
  void anAdminEligibleThroughPimIsChangedOnlyWithAJustifiedOverride() {
    GuardrailOverride justified = GuardrailOverride.justifiedBy("Token theft confirmed, IR-7");
    AccountCommand command =
        new AccountCommand(
            List.of("eligible-admin@contoso.com", "group-admin@contoso.com"),
            true,
            "token theft",
            INCIDENT,
            false,
            justified,
            "run-9",
            "analyst@contoso.com");

    AccountResponse disabled = service.disable(command);
    AccountResponse revoked = service.revokeSessions(command);
    AccountResponse confirmed = service.confirmCompromised(command);

    assertThat(disabled.results())
        .extracting(AccountResult::status)
        .containsExactly(AccountStatus.DISABLED, AccountStatus.DISABLED);
    assertThat(disabled.results().get(0).detail())
        .contains("override lifted")
        .contains("eligible through PIM");
    assertThat(revoked.results())
        .extracting(AccountResult::status)
        .containsOnly(AccountStatus.REVOKED);
    assertThat(confirmed.results())
        .extracting(AccountResult::status)
        .containsOnly(AccountStatus.CONFIRMED);
    assertThat(graph.user(ELIGIBLE_ADMIN).path("accountEnabled").asBoolean()).isFalse();
    assertThat(graph.user(GROUP_ADMIN).path("accountEnabled").asBoolean()).isFalse();
    assertThat(graph.revocations(GROUP_ADMIN)).isEqualTo(2);
    assertThat(graph.confirmed()).containsExactly(List.of(ELIGIBLE_ADMIN, GROUP_ADMIN));
    assertThat(row(ELIGIBLE_ADMIN).justification()).isEqualTo("Token theft confirmed, IR-7");
  }

  @Test
  void thePrivilegedCheckCostsTheSameGraphCallsForOneAccountOrForty() {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      String id = String.format("33333333-0000-0000-0000-%012d", i);
      graph.addUser(id, "staff" + i + "@contoso.com");
      ids.add(id);
    }
    int before = graph.requests().size();
    service.revokeSessions(disable(BOB));
    int forOne = graph.requests().size() - before;
    clock.advance(GraphDirectoryRoles.DEFAULT_CACHE_TTL); // the roles are read again
    before = graph.requests().size();
    service.revokeSessions(disable(ids.toArray(String[]::new)));
    int forForty = graph.requests().size() - before;

    // Roles: one GET of the role definitions, one batch of the members and eligibilities of the
    // ten roles, one batch for the group eligible for Global Administrator. Accounts: batches of
    // 20 to resolve and to revoke.
    assertThat(forOne).isEqualTo(1 + 3 + 1);
    assertThat(forForty).isEqualTo(2 + 3 + 2);
  }

  @Test
  void aDryRunAnswersWouldDisableRecordsItAndWritesNothingUpstream() {
    AccountResponse response =
        service.disable(
            disable(List.of("bob@contoso.com", "admin@contoso.com"), true, GuardrailOverride.NONE));

    assertThat(response.results())
        .extracting(AccountResult::status)
        .containsExactly(AccountStatus.WOULD_DISABLE, AccountStatus.REFUSED);
    assertThat(patches()).isZero();
    assertThat(graph.inner())
        .noneMatch(inner -> inner.method().equals("POST") && !inner.url().contains("$batch"));
    assertThat(row(BOB).state()).isEqualTo(LedgerState.DRY_RUN);
    assertThat(response.summary().wouldDisable()).isEqualTo(1);
  }

  @Test
  void aReRunAnswersAlreadyDisabledWithoutASecondWriteAndRevokesSessionsWhenAsked() {
    service.disable(disable("bob@contoso.com"));
    AccountResponse again =
        service.disable(
            new AccountCommand(
                List.of("bob@contoso.com", BOB),
                true,
                "phishing",
                INCIDENT,
                false,
                GuardrailOverride.NONE,
                "run-2",
                null));

    assertThat(again.results())
        .extracting(AccountResult::status)
        .containsExactly(AccountStatus.ALREADY_DISABLED, AccountStatus.ALREADY_DISABLED);
    assertThat(again.results())
        .extracting(AccountResult::sessionsRevoked)
        .containsExactly(true, true);
    assertThat(patches()).isEqualTo(1);
    assertThat(graph.revocations(BOB)).isEqualTo(1);
    assertThat(row(BOB).state()).isEqualTo(LedgerState.ACTIVE);
    assertThat(ledger.history(row(BOB)))
        .extracting(LedgerHistory::status)
        .contains("already_disabled");
  }

  @Test
  void twentyConcurrentDisablesOfOneAccountEndInOneWrite() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<AccountResponse>> runs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Callable<AccountResponse> run =
          () -> {
            go.await();
            return service.disable(disable("bob@contoso.com"));
          };
      runs.add(pool.submit(run));
    }
    go.countDown();
    List<AccountStatus> statuses = new ArrayList<>();
    for (Future<AccountResponse> run : runs) {
      statuses.add(run.get().results().get(0).status());
    }
    pool.shutdown();

    assertThat(patches()).isEqualTo(1);
    assertThat(statuses).containsOnly(AccountStatus.DISABLED, AccountStatus.ALREADY_DISABLED);
    assertThat(statuses).filteredOn(status -> status == AccountStatus.DISABLED).hasSize(1);
  }

  @Test
  void anAccountReEnabledOutsideTheConnectorIsDisabledAgain() {
    service.disable(disable("bob@contoso.com"));
    graph.user(BOB).put("accountEnabled", true);
    clock.advance(Duration.ofHours(1));

    AccountResponse again = service.disable(disable("bob@contoso.com"));

    assertThat(again.results().get(0).status()).isEqualTo(AccountStatus.DISABLED);
    assertThat(graph.user(BOB).path("accountEnabled").asBoolean()).isFalse();
    assertThat(patches()).isEqualTo(2);
  }

  @Test
  void enableReEnablesOnlyWhatThisConnectorDisabledUnlessAJustifiedOverride() {
    service.disable(disable("bob@contoso.com"));
    graph.user(ADELE).put("accountEnabled", false);

    AccountResponse response = service.enable(disable("bob@contoso.com", ADELE));

    assertThat(response.results())
        .extracting(AccountResult::status)
        .containsExactly(AccountStatus.ENABLED, AccountStatus.REFUSED);
    assertThat(response.results().get(1).reason()).isEqualTo("not_disabled_by_connector");
    assertThat(graph.user(BOB).path("accountEnabled").asBoolean()).isTrue();
    assertThat(graph.user(ADELE).path("accountEnabled").asBoolean()).isFalse();
    assertThat(row(BOB).state()).isEqualTo(LedgerState.LIFTED);
    assertThat(row(ADELE).state()).isEqualTo(LedgerState.REFUSED);

    AccountResponse overridden =
        service.enable(
            disable(List.of(ADELE), false, GuardrailOverride.justifiedBy("HR confirmed")));
    assertThat(overridden.results().get(0).status()).isEqualTo(AccountStatus.ENABLED);
    assertThat(graph.user(ADELE).path("accountEnabled").asBoolean()).isTrue();
  }

  @Test
  void revokingFortyFiveSessionsCostsThreeBatchesAfterTheResolutionAndTheRoleReadAndIsRecorded() {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 45; i++) {
      String id = String.format("22222222-0000-0000-0000-%012d", i);
      graph.addUser(id, "user" + i + "@contoso.com");
      ids.add(id);
    }
    int before = graph.batchCalls();

    AccountResponse response = service.revokeSessions(disable(ids.toArray(String[]::new)));

    assertThat(response.results())
        .extracting(AccountResult::status)
        .containsOnly(AccountStatus.REVOKED);
    // 3 to resolve; 2 for the privileged roles (members and eligibilities, then the group eligible
    // for Global Administrator; cached for five minutes); 3 to revoke.
    assertThat(graph.batchCalls() - before).isEqualTo(8);
    assertThat(graph.revocations(ids.get(44))).isEqualTo(1);
    assertThat(ledger.history(row(ids.get(0))))
        .extracting(LedgerHistory::status)
        .containsExactly("revoked");
  }

  @Test
  void revokingOrConfirmingAPrivilegedAccountOrAVipNeedsAJustifiedOverrideToo() {
    AccountResponse revoke =
        service.revokeSessions(disable("admin@contoso.com", "ceo@contoso.com", "bob@contoso.com"));
    AccountResponse confirm =
        service.confirmCompromised(
            disable("admin@contoso.com", "ceo@contoso.com", "bob@contoso.com"));

    assertThat(revoke.results())
        .extracting(AccountResult::reason)
        .containsExactly("privileged_role", "vip", null);
    assertThat(confirm.results())
        .extracting(AccountResult::reason)
        .containsExactly("privileged_role", "vip", null);
    assertThat(graph.revocations(ADMIN)).isZero();
    assertThat(graph.revocations(CEO)).isZero();
    assertThat(graph.confirmed()).containsExactly(List.of(BOB));

    AccountResponse justified =
        service.revokeSessions(
            disable(
                List.of("admin@contoso.com"),
                false,
                new GuardrailOverride(true, "Token theft confirmed by the IR lead")));

    assertThat(justified.results())
        .extracting(AccountResult::status)
        .containsExactly(AccountStatus.REVOKED);
    assertThat(graph.revocations(ADMIN)).isEqualTo(1);
  }

  @Test
  void confirmCompromisedSendsEveryAllowedAccountInOneCallAndRefusesProtectedOnes() {
    AccountResponse response =
        service.confirmCompromised(
            disable(
                "bob@contoso.com",
                ADELE,
                "breakglass@contoso.com",
                "CONTOSO\\bob",
                "nobody@contoso.com"));

    assertThat(response.results())
        .extracting(AccountResult::status)
        .containsExactly(
            AccountStatus.CONFIRMED,
            AccountStatus.CONFIRMED,
            AccountStatus.REFUSED,
            AccountStatus.UNSUPPORTED,
            AccountStatus.NOT_FOUND);
    assertThat(graph.confirmed()).containsExactly(List.of(BOB, ADELE));
    assertThat(response.commentHtml()).contains("confirmed").contains("CONTOSO\\bob");
    assertThat(row(BOB).state()).isEqualTo(LedgerState.NOTED);
  }

  /**
   * Account strings an attacker controls (an incident's entities come from logs): control
   * characters, values far past a UPN's length, OData quotes and {@code $filter} fragments, encoded
   * and plain path traversal. Each answers per item, and every one that reaches Graph arrives as
   * exactly one path segment that decodes back to what was sent.
   */
  static final List<String> HOSTILE_ACCOUNTS =
      List.of(
          "bob@contoso.com\u0000",
          "bob\r\n@contoso.com",
          "\u0007\u001b[31m@contoso.com",
          "a".repeat(5000),
          "b".repeat(4988) + "@contoso.com",
          "o'brien@contoso.com",
          "x')?$filter=accountEnabled eq true&('@contoso.com",
          "$filter=startswith(userPrincipalName,'a')@contoso.com",
          "$batch@contoso.com",
          "%2F..%2Fdirectory@contoso.com",
          "../../directoryRoles@contoso.com",
          "eve/../../admin@contoso.com",
          "x?$select=passwordProfile@contoso.com",
          "x#frag@contoso.com");

  @Test
  void hostileAccountStringsAnswerPerItemAndReachGraphOnlyAsOneEscapedSegment() {
    AccountResponse response = service.disable(disable(HOSTILE_ACCOUNTS.toArray(String[]::new)));

    assertThat(response.results()).hasSize(HOSTILE_ACCOUNTS.size());
    assertThat(response.results())
        .extracting(AccountResult::status)
        .containsOnly(AccountStatus.INVALID, AccountStatus.UNSUPPORTED, AccountStatus.NOT_FOUND);
    assertThat(patches()).isZero();
    assertThat(graph.inner())
        .isNotEmpty()
        .allSatisfy(
            inner -> {
              assertThat(inner.status()).as(inner.url()).isIn(200, 404);
              int query = inner.url().indexOf('?');
              String path = query < 0 ? inner.url() : inner.url().substring(0, query);
              // Only our own query: $select, once.
              assertThat(query < 0 ? "" : inner.url().substring(query + 1))
                  .as(inner.url())
                  .matches("(\\$select=[A-Za-z,]+)?");
              assertThat(path)
                  .as(inner.url())
                  .matches("/users/[A-Za-z0-9%._~@-]+|/users\\('[A-Za-z0-9%._~@-]+'\\)");
              String key =
                  path.startsWith("/users('")
                      ? FakeGraph.decodeSegment(
                              path.substring("/users('".length(), path.length() - 2))
                          .replace("''", "'")
                      : FakeGraph.decodeSegment(path.substring("/users/".length()));
              assertThat(HOSTILE_ACCOUNTS).as(inner.url()).contains(key);
            });
  }
}
