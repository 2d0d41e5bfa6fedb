package com.socactions.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.sentinel.FakeSentinelApi;
import com.socactions.sentinel.IncidentComment;
import com.socactions.sentinel.SentinelClient;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentCommentReaderTest {
  private static final String INCIDENT = TicketSyncServiceTest.INCIDENT_ID;
  private FakeSentinelApi sentinel;
  private FakeManagedIdentityEndpoint identity;
  private SentinelClient client;

  @BeforeEach
  void start() throws Exception {
    identity = FakeManagedIdentityEndpoint.start(Clock.systemUTC());
    sentinel = FakeSentinelApi.start("none").seedRecorded().commentPageSize(2);
    sentinel.acceptToken(FakeManagedIdentityEndpoint.tokenFor(sentinel.baseUrl()));
    Map<String, String> values = new HashMap<>(identity.settings());
    values.put(SentinelClient.MANAGEMENT_URL_SETTING, sentinel.baseUrl());
    Settings settings = Settings.of(values);
    client = TestKit.sentinel(settings, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  @AfterEach
  void stop() throws Exception {
    sentinel.close();
    identity.close();
  }

  @Test
  void anIncidentSentWithoutCommentsGetsThemFromSentinelAcrossPages() {
    sentinel.seedComments(INCIDENT, 3);

    TicketContent read =
        new IncidentCommentReader(() -> client, () -> true).withComments(incident());

    assertThat(read.comments())
        .extracting(IncidentComment::id)
        .containsExactlyInAnyOrder("comment-1", "comment-2", "comment-3");
    assertThat(read.comments()).extracting(IncidentComment::message).contains("comment 1");
    assertThat(read.title()).isEqualTo(incident().title());
  }

  @Test
  void withoutAnAzureIdentityTheSyncGoesOnWithoutCommentsAndAsksNothing() {
    TicketContent read =
        new IncidentCommentReader(() -> client, () -> false).withComments(incident());

    assertThat(read.comments()).isEmpty();
    assertThat(sentinel.requests()).isEmpty();
  }

  @Test
  void aSentinelThatRefusesLeavesTheContentAsItWas() {
    sentinel.failNext(1, 403, Map.of());

    TicketContent read =
        new IncidentCommentReader(() -> client, () -> true).withComments(incident());

    assertThat(read.comments()).isEmpty();
  }

  private static TicketContent incident() {
    return TicketSyncServiceTest.incident("High", "Active", null, List.of());
  }
}
