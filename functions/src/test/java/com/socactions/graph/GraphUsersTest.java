package com.socactions.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphUsersTest {
  private static final String ADELE = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
  private static final String TEST_USER = "fa98168f-9f6c-49d2-b275-b2dab9a3966a";

  private GraphTesting t;
  private GraphUsers users;

  @BeforeEach
  void start() throws Exception {
    t = new GraphTesting();
    users = new GraphUsers(t.client);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  private List<AccountResolution> resolve(String... accounts) {
    return users.resolve(Arrays.stream(accounts).map(AccountRef::parse).toList());
  }

  @Test
  void objectIdsUpnsAndNameWithUpnSuffixResolveInOneBatchWithAccountEnabled() {
    AccountRef fromEntity =
        AccountRef.fromEntity(
            null, "graphusertest000001", "AzureSDKTeam.onmicrosoft.com", null, null);

    List<AccountResolution> results =
        users.resolve(
            List.of(AccountRef.parse(ADELE), AccountRef.parse("AdeleV@contoso.com"), fromEntity));

    assertThat(results).allMatch(AccountResolution::resolved);
    assertThat(results.get(0).user())
        .isEqualTo(new GraphUser(ADELE, "AdeleV@contoso.com", "Adele Vance", true, null));
    assertThat(results.get(2).user().id()).isEqualTo(TEST_USER);
    assertThat(t.graph.batchCalls()).isEqualTo(1);
    assertThat(t.graph.inner().get(0).url()).endsWith("?$select=" + GraphUsers.SELECT);
  }

  @Test
  void resolvingFortyFiveAccountsCostsThreeBatchCalls() {
    List<String> ids = t.addUsers(45);

    List<AccountResolution> results = users.resolve(ids.stream().map(AccountRef::parse).toList());

    assertThat(results).hasSize(45).allMatch(AccountResolution::resolved);
    assertThat(t.graph.requests()).hasSize(3);
  }

  @Test
  void oneAccountGivenSeveralTimesInAnyCaseIsLookedUpOnce() {
    List<AccountResolution> results =
        resolve("AdeleV@contoso.com", "adelev@CONTOSO.com", ADELE, ADELE.toUpperCase());

    assertThat(results).allMatch(AccountResolution::resolved);
    assertThat(t.graph.inner()).hasSize(2);
  }

  @Test
  void upnsWithHashQuoteSlashAndPercentAreEncodedNeverPastedIntoThePath() {
    String upn = "o'brien#EXT/50%_x@contoso.com";
    t.graph.addUser("11111111-1111-1111-1111-111111111111", upn);

    AccountResolution result = resolve(upn).get(0);

    assertThat(result.resolved()).as(result.reason()).isTrue();
    assertThat(t.graph.inner().get(0).url())
        .startsWith("/users/o%27brien%23EXT%2F50%25_x@contoso.com?")
        .doesNotContain("'")
        .doesNotContain("#");
  }

  @Test
  void aUpnStartingWithDollarIsAddressedInTheKeyForm() {
    String upn = "$adm'in@contoso.com";
    t.graph.addUser("22222222-2222-2222-2222-222222222222", upn);

    AccountResolution result = resolve(upn).get(0);

    assertThat(result.resolved()).as(result.reason()).isTrue();
    assertThat(t.graph.inner().get(0).url())
        .startsWith("/users('%24adm%27%27in@contoso.com')?$select=");
  }

  @Test
  void odataInjectionAttemptsStayInsideOneEncodedSegment() {
    List<AccountResolution> results =
        resolve(
            "a'or'1'eq'1@contoso.com", "x&$filter=id@contoso.com", "x?$expand=manager@contoso.com");

    assertThat(results).allMatch(result -> result.status() == ResolutionStatus.NOT_FOUND);
    assertThat(t.graph.inner())
        .extracting(FakeGraph.Inner::url)
        .allSatisfy(
            url -> {
              assertThat(url.substring(0, url.indexOf('?')))
                  .doesNotContain("'", "&", "$", "?", "=");
              assertThat(url.substring(url.indexOf('?')))
                  .isEqualTo("?$select=" + GraphUsers.SELECT);
            });
  }

  @Test
  void sidsDomainNamesAndBareNamesAreUnsupportedAndNeverReachGraph() {
    List<AccountResolution> results =
        resolve("S-1-5-21-3623811015-3361044348-30300820-1013", "CONTOSO\\alice", "alice");
    AccountRef onPremises = AccountRef.fromEntity(null, "alice", null, "CONTOSO", null);

    assertThat(results)
        .allMatch(
            result -> result.status() == ResolutionStatus.UNSUPPORTED && result.reason() != null);
    assertThat(users.resolve(List.of(onPremises)).get(0).status())
        .isEqualTo(ResolutionStatus.UNSUPPORTED);
    assertThat(t.graph.requests()).isEmpty();
  }

  @Test
  void hostileStringsAreInvalidAndNeverReachGraph() {
    List<AccountResolution> results =
        resolve(
            "",
            "alice\u0000@contoso.com",
            "alice\r\n@contoso.com",
            "a".repeat(5000) + "@contoso.com",
            "alice' or 1 eq 1@contoso.com",
            "alice@contoso.com/../../me",
            "alice@contoso.com?$filter=x",
            "@contoso.com",
            null);

    assertThat(results)
        .allMatch(result -> result.status() == ResolutionStatus.INVALID && result.reason() != null);
    assertThat(t.graph.requests()).isEmpty();
  }

  @Test
  void anAccountGraphDoesNotHoldIsNotFoundBesideTheOthers() {
    List<AccountResolution> results = resolve("68be84bf-a585-4776-80b3-30aa5207aa22", ADELE);

    assertThat(results.get(0).status()).isEqualTo(ResolutionStatus.NOT_FOUND);
    assertThat(results.get(0).reason()).contains("Request_ResourceNotFound");
    assertThat(results.get(1).resolved()).isTrue();
  }

  @Test
  void disableThenEnableFlipsAccountEnabledOncePerDistinctUser() {
    Map<String, GraphOutcome> disabled =
        users.disable(List.of(ADELE, TEST_USER, ADELE.toUpperCase()));

    assertThat(disabled.values()).allMatch(GraphOutcome::ok);
    assertThat(disabled.keySet()).containsExactly(ADELE, TEST_USER);
    assertThat(t.graph.user(ADELE).path("accountEnabled").asBoolean()).isFalse();
    assertThat(t.graph.inner())
        .extracting(FakeGraph.Inner::method)
        .containsOnly("PATCH")
        .hasSize(2);

    users.enable(List.of(ADELE));
    assertThat(t.graph.user(ADELE).path("accountEnabled").asBoolean()).isTrue();
    assertThat(t.graph.user(TEST_USER).path("accountEnabled").asBoolean()).isFalse();
  }

  @Test
  void aWriteForAUserGraphDoesNotHoldIsNotFoundForThatUserOnly() {
    String missing = "68be84bf-a585-4776-80b3-30aa5207aa22";

    Map<String, GraphOutcome> outcomes = users.disable(List.of(missing, ADELE));

    assertThat(outcomes.get(missing).failure()).isEqualTo(GraphFailure.NOT_FOUND);
    assertThat(outcomes.get(ADELE).ok()).isTrue();
  }

  @Test
  void aThrottledWriteIsRetriedForThatUserOnly() {
    List<String> ids = t.addUsers(30);
    t.graph.throttle(ids.get(7), 1, "1");

    Map<String, GraphOutcome> outcomes = users.disable(ids);

    assertThat(outcomes.values()).allMatch(GraphOutcome::ok);
    Map<String, Long> patches =
        t.graph.inner().stream()
            .collect(Collectors.groupingBy(FakeGraph.Inner::url, Collectors.counting()));
    assertThat(patches.get("/users/" + ids.get(7))).isEqualTo(2);
    assertThat(patches.values().stream().filter(n -> n == 1)).hasSize(29);
    assertThat(t.graph.batchCalls()).isEqualTo(3);
  }

  @Test
  void revokeSignInSessionsPostsOncePerUserAndTreatsTheBooleanAnswerAsSuccess() {
    Map<String, GraphOutcome> outcomes = users.revokeSignInSessions(List.of(ADELE, TEST_USER));

    assertThat(outcomes.values()).allMatch(GraphOutcome::ok);
    assertThat(t.graph.revocations(ADELE)).isEqualTo(1);
    assertThat(t.graph.revocations(TEST_USER)).isEqualTo(1);
  }

  @Test
  void writesTakeObjectIdsOnly() {
    assertThatThrownBy(() -> users.disable(List.of("alice@contoso.com")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(t.graph.requests()).isEmpty();
  }
}
