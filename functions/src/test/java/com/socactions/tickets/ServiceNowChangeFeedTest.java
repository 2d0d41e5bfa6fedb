package com.socactions.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ServiceNow's change feed: keyset pages over the connector's tickets in change order. */
class ServiceNowChangeFeedTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private FakeServiceNow serviceNow;
  private ServiceNowTickets tickets;

  @BeforeEach
  void start() throws Exception {
    serviceNow = FakeServiceNow.start("soc.actions", "pw").clock(clock);
    tickets =
        TicketsModule.serviceNow(
            Settings.of(TicketSyncServiceTest.serviceNowSettings(serviceNow)),
            TestKit.serviceNow(
                Settings.of(TicketSyncServiceTest.serviceNowSettings(serviceNow)),
                clock,
                Sleeper.SYSTEM));
  }

  @AfterEach
  void stop() {
    serviceNow.close();
  }

  @Test
  void eachPageAsksForWhatComesAfterTheLastRowReadWithTheMarkerInBothGroups() {
    assertThat(ServiceNowTickets.changesAfter(new ChangePosition(T0, "a1b2")).encoded())
        .isEqualTo(
            "correlation_display=Microsoft Sentinel^sys_updated_on>2026-03-01 12:00:00"
                + "^NQcorrelation_display=Microsoft Sentinel^sys_updated_on=2026-03-01 12:00:00"
                + "^sys_id>a1b2^ORDERBYsys_updated_on^ORDERBYsys_id");
    assertThat(ServiceNowTickets.changesAfter(ChangePosition.startingAt(T0)).encoded())
        .isEqualTo(
            "correlation_display=Microsoft Sentinel^sys_updated_on>=2026-03-01 12:00:00"
                + "^ORDERBYsys_updated_on^ORDERBYsys_id");
  }

  @Test
  void aTicketThatChangesWhileTheFeedIsReadMovesToTheEndAndNoOtherIsSkipped() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(ticket("INC000" + i));
    }
    serviceNow.add("incident", Map.of("number", "INC-NOT-OURS", "sys_updated_on", glide(T0)));
    ChangeFeed feed = tickets.changesAfter(ChangePosition.startingAt(T0), 2);

    List<String> read = new ArrayList<>(keys(feed.next()));
    // An agent updates a ticket of the page already read: with offsets, the next page would start
    // one row too far on and skip a ticket.
    clock.advance(Duration.ofSeconds(5));
    serviceNow.agentUpdate("incident", read.get(0), Map.of("state", "2"), null, "itil.agent");
    for (List<TicketChange> page = feed.next(); !page.isEmpty(); page = feed.next()) {
      read.addAll(keys(page));
    }

    List<String> inOrder = ids.stream().sorted().toList();
    assertThat(read.subList(0, 6)).containsExactlyElementsOf(inOrder);
    assertThat(read.subList(6, read.size())).containsExactly(inOrder.get(0));
  }

  private String ticket(String number) {
    return serviceNow.add(
        "incident",
        Map.of(
            "number",
            number,
            "state",
            "1",
            "correlation_display",
            ServiceNowTickets.CORRELATION_DISPLAY,
            "sys_updated_on",
            glide(T0)));
  }

  private static String glide(Instant instant) {
    return FakeServiceNow.GLIDE_TIME.format(instant);
  }

  private static List<String> keys(List<TicketChange> page) {
    return page.stream().map(change -> change.position().key()).toList();
  }
}
