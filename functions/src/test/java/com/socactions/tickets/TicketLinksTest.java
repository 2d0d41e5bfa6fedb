package com.socactions.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.sentinel.IncidentStatus;
import com.socactions.testing.Azurite;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Azurite.class)
class TicketLinksTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String INCIDENT = TicketSyncServiceTest.INCIDENT_ID;
  private TableClient table;
  private TicketLinks links;

  @BeforeEach
  void freshTable() {
    String name = "links" + UUID.randomUUID().toString().replace("-", "");
    table =
        TestKit.storage(
                Settings.of(Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())))
            .table(name);
    links = new TicketLinks(table);
  }

  @Test
  void aClaimIsTakenOnceAndItsLinkIsFoundByIncidentAndByTicket() {
    TicketLink claim = links.claim("servicenow", INCIDENT, "run-1", NOW).orElseThrow();
    assertThat(links.claim("servicenow", INCIDENT, "run-2", NOW)).isEmpty();

    links.save(
        claim
            .linkedTo(
                new TicketRef(
                    "servicenow",
                    "a9e30c7dc61122760116894de7bcc7bd",
                    "INC0010002",
                    "https://x/nav_to.do"))
            .synced(Map.of(TicketField.TITLE, "abc"), List.of("c1", "c2"), NOW));

    TicketLink read = links.get("servicenow", INCIDENT.toUpperCase()).orElseThrow();
    assertThat(read.isLinked()).isTrue();
    assertThat(read.ticket().number()).isEqualTo("INC0010002");
    assertThat(read.digests()).containsEntry(TicketField.TITLE, "abc");
    assertThat(read.copiedCommentIds()).containsExactly("c1", "c2");
    assertThat(links.findByTicket("servicenow", "a9e30c7dc61122760116894de7bcc7bd"))
        .map(TicketLink::incidentId)
        .contains(INCIDENT);
  }

  @Test
  void eachStepMakesANewLinkAndLeavesTheOneItCameFromAsItWas() {
    TicketLink claim = TicketLink.claim("servicenow", INCIDENT, "run-1", NOW);
    TicketRef ticket = new TicketRef("servicenow", "sys1", "INC0010002", null);

    TicketLink linked = claim.linkedTo(ticket);
    TicketLink synced = linked.synced(Map.of(TicketField.TITLE, "abc"), List.of("c1"), NOW);
    TicketLink inbound =
        synced.inbound(IncidentStatus.CLOSED, "digest", List.of("t1"), NOW.plusSeconds(60));

    assertThat(claim.state()).isEqualTo(TicketLink.State.CREATING);
    assertThat(claim.ticket()).isNull();
    assertThat(linked.isLinked()).isTrue();
    assertThat(linked.digests()).isEmpty();
    assertThat(synced.copiedCommentIds()).containsExactly("c1");
    assertThat(synced.lastInboundStatus()).isNull();
    assertThat(inbound.lastInboundStatus()).isEqualTo(IncidentStatus.CLOSED);
    assertThat(inbound.digests())
        .containsEntry(TicketField.TITLE, "abc")
        .containsEntry(TicketField.STATUS, "digest");
    assertThat(inbound.appliedTicketCommentIds()).containsExactly("t1");
    assertThat(inbound.lastInboundAt()).isEqualTo(NOW.plusSeconds(60));
    assertThatThrownBy(() -> inbound.digests().put(TicketField.OWNER, "x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aSaveOnAStaleCopyIsAConflict() {
    links.claim("servicenow", INCIDENT, "run-1", NOW);
    TicketLink first = links.get("servicenow", INCIDENT).orElseThrow();
    TicketLink second = links.get("servicenow", INCIDENT).orElseThrow();
    links.save(first);

    assertThatThrownBy(() -> links.save(second)).isInstanceOf(TicketLinks.LinkConflict.class);
  }

  @Test
  void aDeliveryIsFirstOnlyOnce() {
    assertThat(links.firstDelivery("jira", "a1b2-c3", NOW)).isTrue();
    assertThat(links.firstDelivery("jira", "a1b2-c3", NOW)).isFalse();
    assertThat(links.firstDelivery("servicenow", "a1b2-c3", NOW)).isTrue();
  }

  @Test
  void oldDeliveriesAreForgottenAndRecentOnesStillRecogniseAReplay() {
    links.firstDelivery("jira", "old", NOW.minus(Duration.ofDays(3)));
    links.firstDelivery("jira", "recent", NOW.minus(Duration.ofHours(1)));
    links.firstDelivery("servicenow", "old", NOW.minus(Duration.ofDays(3)));

    assertThat(links.forgetDeliveriesBefore("jira", NOW.minus(Duration.ofDays(2)))).isEqualTo(1);

    assertThat(links.hasDelivery("jira", "old")).isFalse();
    assertThat(links.hasDelivery("jira", "recent")).isTrue();
    assertThat(links.hasDelivery("servicenow", "old")).isTrue();
  }

  @Test
  void forgettingOldDeliveriesCostsCallsForThoseForgottenNotForThoseKept() {
    AtomicInteger calls = new AtomicInteger();
    TicketLinks counted =
        new TicketLinks(
            CountingPolicy.countedTable(
                "links" + UUID.randomUUID().toString().replace("-", ""), calls));
    for (int i = 0; i < 3; i++) {
      counted.firstDelivery("servicenow", "old-" + i, NOW.minus(Duration.ofDays(3)));
    }
    for (int i = 0; i < 60; i++) {
      counted.firstDelivery("servicenow", "recent-" + i, NOW.minus(Duration.ofMinutes(i)));
    }
    calls.set(0);

    int forgotten = counted.forgetDeliveriesBefore("servicenow", NOW.minus(Duration.ofDays(2)));

    assertThat(forgotten).isEqualTo(3);
    assertThat(calls.get()).isEqualTo(1 + 3 * 2);
    assertThat(counted.hasDelivery("servicenow", "old-0")).isFalse();
    assertThat(counted.hasDelivery("servicenow", "recent-59")).isTrue();
    calls.set(0);
    assertThat(counted.forgetDeliveriesBefore("servicenow", NOW.minus(Duration.ofDays(2))))
        .isZero();
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void theCursorIsKeptPerSystemAndOnlyMovesForward() {
    ChangePosition first = new ChangePosition(NOW, "a1");
    ChangePosition later = new ChangePosition(NOW.plusSeconds(5), "b2");

    TicketLinks.Cursor saved =
        links.advanceCursor("jira", null, first, ChangePosition.BY_TIME_THEN_KEY);
    TicketLinks.Cursor moved =
        links.advanceCursor("jira", saved, later, ChangePosition.BY_TIME_THEN_KEY);
    TicketLinks.Cursor back =
        links.advanceCursor("jira", moved, first, ChangePosition.BY_TIME_THEN_KEY);

    assertThat(links.cursor("jira")).map(TicketLinks.Cursor::position).contains(later);
    assertThat(back.position()).isEqualTo(later);
    assertThat(links.cursor("servicenow")).isEmpty();
  }

  @Test
  void aRunWithAStaleCursorNeverMovesItBackBehindWhatAnotherRunSaved() {
    ChangePosition start = new ChangePosition(NOW, "a1");
    ChangePosition ahead = new ChangePosition(NOW.plusSeconds(60), "c3");
    ChangePosition behind = new ChangePosition(NOW.plusSeconds(30), "b2");
    TicketLinks.Cursor read =
        links.advanceCursor("servicenow", null, start, ChangePosition.BY_TIME_THEN_KEY);
    // Another instance, from the same read, got further first.
    links.advanceCursor("servicenow", read, ahead, ChangePosition.BY_TIME_THEN_KEY);

    TicketLinks.Cursor stale =
        links.advanceCursor("servicenow", read, behind, ChangePosition.BY_TIME_THEN_KEY);
    TicketLinks.Cursor further =
        links.advanceCursor(
            "servicenow",
            read,
            new ChangePosition(NOW.plusSeconds(90), "d4"),
            ChangePosition.BY_TIME_THEN_KEY);

    assertThat(stale.position()).isEqualTo(ahead);
    assertThat(further.position()).isEqualTo(new ChangePosition(NOW.plusSeconds(90), "d4"));
    assertThat(links.cursor("servicenow"))
        .map(TicketLinks.Cursor::position)
        .contains(further.position());
  }

  @Test
  void aFirstRunCreatingTheCursorAtTheSameTimeAsAnotherKeepsTheFurtherOne() {
    ChangePosition ahead = new ChangePosition(NOW.plusSeconds(60), "c3");
    links.advanceCursor("jira", null, ahead, ChangePosition.BY_TIME_THEN_KEY);

    TicketLinks.Cursor mine =
        links.advanceCursor(
            "jira", null, new ChangePosition(NOW, "a1"), ChangePosition.BY_TIME_THEN_KEY);

    assertThat(mine.position()).isEqualTo(ahead);
  }

  @Test
  void aWatermarkFromBeforeCursorsReadsAsAStartTwoMinutesBeforeIt() {
    table.upsertEntity(
        new TableEntity(TicketLinks.CURSOR_PARTITION, "servicenow")
            .addProperty("read_until", NOW.atOffset(ZoneOffset.UTC)));

    assertThat(links.cursor("servicenow"))
        .map(TicketLinks.Cursor::position)
        .contains(ChangePosition.startingAt(NOW.minus(Duration.ofMinutes(2))));
  }
}
