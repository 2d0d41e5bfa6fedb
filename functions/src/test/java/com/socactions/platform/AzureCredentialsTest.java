package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class AzureCredentialsTest {
  private static final String STORAGE_SCOPE = "https://storage.azure.com/.default";

  private FakeManagedIdentityEndpoint identity;

  @BeforeEach
  void startIdentityEndpoint() throws Exception {
    identity = FakeManagedIdentityEndpoint.start(Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    identity.close();
  }

  @Test
  void theManagedIdentityEndpointNamedInOurSettingsIssuesTheToken() {
    AzureCredentials credentials =
        new AzureCredentials(Settings.of(identity.settings()), TestKit.kit());

    AccessToken token = credentials.token(STORAGE_SCOPE, Duration.ofSeconds(30));

    assertThat(token.getToken())
        .isEqualTo(FakeManagedIdentityEndpoint.tokenFor("https://storage.azure.com"));
    assertThat(identity.requests())
        .first()
        .satisfies(
            request -> {
              assertThat(request.getUrl().queryParameter("resource"))
                  .isEqualTo("https://storage.azure.com");
              assertThat(request.getHeaders().get("X-IDENTITY-HEADER"))
                  .isEqualTo(FakeManagedIdentityEndpoint.HEADER);
            });
  }

  @Test
  void aUserAssignedIdentityIsAskedForByItsClientId() {
    AzureCredentials credentials =
        AzureCredentials.managedIdentity(
            Settings.of(identity.settings()),
            Optional.of("5e29463d-71da-4fe0-8e69-999b57db23b0"),
            Optional.empty(),
            TestKit.kit());

    credentials.token(STORAGE_SCOPE, Duration.ofSeconds(30));

    assertThat(identity.requests())
        .first()
        .satisfies(
            request ->
                assertThat(request.getUrl().queryParameter("client_id"))
                    .isEqualTo("5e29463d-71da-4fe0-8e69-999b57db23b0"));
  }

  @Test
  void aTokenThatDoesNotComeInTimeIsAnUpstreamErrorWhileTheFetchGoesOn() {
    Sinks.One<AccessToken> never = Sinks.one();
    AtomicInteger fetches = new AtomicInteger();
    AzureCredentials credentials =
        AzureCredentials.of(
            request -> {
              fetches.incrementAndGet();
              return never.asMono();
            });

    assertThatThrownBy(() -> credentials.token(STORAGE_SCOPE, Duration.ofMillis(50)))
        .isInstanceOf(UpstreamException.class)
        .hasMessageContaining(STORAGE_SCOPE)
        .hasMessageContaining("PT0.05S");
    assertThatThrownBy(
            () ->
                credentials
                    .capped(Duration.ofMillis(50))
                    .getTokenSync(new TokenRequestContext().addScopes(STORAGE_SCOPE)))
        .isInstanceOf(UpstreamException.class);
    // Both waits joined the one fetch still under way.
    assertThat(fetches).hasValue(1);

    AccessToken late = new AccessToken("late", OffsetDateTime.now().plusHours(1));
    never.tryEmitValue(late);
    assertThat(credentials.token(STORAGE_SCOPE, Duration.ofSeconds(5))).isSameAs(late);
  }

  @Test
  void aRefusedTokenRequestIsAnUpstreamErrorAndTheNextRequestTriesAgain() {
    AtomicInteger fetches = new AtomicInteger();
    AzureCredentials credentials =
        AzureCredentials.of(
            request ->
                fetches.incrementAndGet() == 1
                    ? Mono.error(new IllegalStateException("identity endpoint answered 500"))
                    : Mono.just(new AccessToken("second", OffsetDateTime.now().plusHours(1))));

    assertThatThrownBy(() -> credentials.token(STORAGE_SCOPE, Duration.ofSeconds(5)))
        .isInstanceOf(UpstreamException.class)
        .hasMessageContaining("identity endpoint answered 500");
    assertThat(credentials.token(STORAGE_SCOPE, Duration.ofSeconds(5)).getToken())
        .isEqualTo("second");
  }
}
