package com.socactions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.socactions.blocking.GuardrailOverride;
import com.socactions.decisions.Decision;
import com.socactions.decisions.DecisionOperation;
import com.socactions.decisions.RecordingDecisionLog;
import com.socactions.graph.FakeGraph;
import com.socactions.graph.GraphClient;
import com.socactions.graph.GraphModule;
import com.socactions.ledger.TestLedgers;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/** Every account action, refusals included, is also a decision for Log Analytics. */
@ExtendWith(Azurite.class)
class AccountDecisionsTest {
  private static final String TOKEN = "graph-token";
  private static final String ADMIN = "11111111-0000-0000-0000-000000000001";
  private static final String BOB = "11111111-0000-0000-0000-000000000005";
  private static final String INCIDENT =
      "/subscriptions/s/providers/Microsoft.SecurityInsights/Incidents/9";
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final RecordingDecisionLog decisions = new RecordingDecisionLog();
  private FakeGraph graph;
  private IdentityService service;

  @BeforeEach
  void start() throws Exception {
    graph =
        FakeGraph.start(TOKEN)
            .seedRecorded()
            .addUser(ADMIN, "admin@contoso.com")
            .addUser(BOB, "bob@contoso.com")
            .addRoleMember("Global Administrator", ADMIN, "#microsoft.graph.user");
    GraphModule module =
        new GraphModule(
            Settings.of(Map.of(GraphClient.URL_SETTING, graph.baseUrl())),
            TestKit.kit(clock, duration -> {}),
            AzureCredentials.of(
                request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)))),
            Ticker.SYSTEM,
            UpstreamBudgets.local(clock, duration -> {}));
    var ledger = TestLedgers.fresh(clock);
    service =
        new IdentityService(
                module::users,
                module::directoryRoles,
                module::identityProtection,
                () -> ledger,
                () -> new ProtectedAccounts(Set.of()),
                () -> Optional.of("11111111-0000-0000-0000-000000000003"),
                upns -> Map.of(),
                clock)
            .decisionLog(decisions);
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  @Test
  void aDisableRecordsOneDecisionPerAccountWithTheGuardrailOfARefusal() {
    service.disable(
        new AccountCommand(
            List.of("bob@contoso.com", BOB, "admin@contoso.com"),
            false,
            "phishing",
            INCIDENT,
            false,
            GuardrailOverride.NONE,
            "run-1",
            "analyst@contoso.com"));

    assertThat(decisions.batches()).hasSize(1);
    List<Decision> recorded = decisions.all();
    assertThat(recorded)
        .extracting(Decision::account, Decision::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("bob@contoso.com", "disabled"),
            org.assertj.core.groups.Tuple.tuple("admin@contoso.com", "refused"));
    Decision disabled = recorded.get(0);
    assertThat(disabled.operation()).isEqualTo(DecisionOperation.DISABLE_ACCOUNTS);
    assertThat(disabled.provider()).isEqualTo(IdentityService.PROVIDER);
    assertThat(disabled.providerRef()).isEqualTo(BOB);
    assertThat(disabled.incidentId()).isEqualTo(INCIDENT);
    assertThat(disabled.correlationId()).isEqualTo("run-1");
    assertThat(recorded.get(1).guardrail()).isNotBlank();
  }

  @Test
  void revokeAndConfirmAreDecisionsOfTheirOwnOperation() {
    AccountCommand bob =
        new AccountCommand(
            List.of("bob@contoso.com"),
            false,
            "phishing",
            INCIDENT,
            false,
            GuardrailOverride.NONE,
            "run-2",
            null);

    service.revokeSessions(bob);
    service.confirmCompromised(bob);

    assertThat(decisions.all())
        .extracting(Decision::operation)
        .containsExactly(DecisionOperation.REVOKE_SESSIONS, DecisionOperation.CONFIRM_COMPROMISED);
  }
}
