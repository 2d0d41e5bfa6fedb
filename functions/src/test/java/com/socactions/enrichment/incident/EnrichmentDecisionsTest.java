package com.socactions.enrichment.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.cmdb.CmdbModule;
import com.socactions.decisions.Decision;
import com.socactions.decisions.DecisionOperation;
import com.socactions.decisions.RecordingDecisionLog;
import com.socactions.platform.Settings;
import com.socactions.sentinel.Incident;
import com.socactions.sentinel.Incidents;
import com.socactions.sentinel.SentinelExamples;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each EnrichIncident call is one decision for Log Analytics: volume, errors, latency. */
class EnrichmentDecisionsTest {
  private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final RecordingDecisionLog decisions = new RecordingDecisionLog();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void anEnrichmentIsOneDecisionWithItsEntitiesErrorsDurationAndSuggestion() {
    CmdbModule cmdb = TestKit.cmdb(Settings.of(Map.of()), new MutableClock(NOW));
    IncidentEnrichmentService service =
        new IncidentEnrichmentService(
                () -> {
                  throw new IllegalStateException("a CMDB-only call needs no IP enrichment");
                },
                cmdb.service(),
                executor,
                Duration.ofSeconds(30),
                "ENRICH_INCIDENT_DEADLINE",
                com.socactions.platform.DeadlineTimer.SYSTEM)
            .decisionLog(decisions, new MutableClock(NOW));
    List<ObjectNode> entities =
        List.of(
            SentinelExamples.entity(
                "Host", "hostName", "dc01", "dnsDomain", "contoso.com", "netBiosName", "DC01"),
            SentinelExamples.entity(
                "Account",
                "accountName",
                "ceo",
                "upnSuffix",
                "contoso.com",
                "ntDomain",
                "CONTOSO"));
    Incident incident =
        Incidents.parse(
            SentinelExamples.triggerBody(SentinelExamples.object(entities)), "incident");

    IncidentEnrichment answer =
        service.enrich(incident, Optional.empty(), EnumSet.of(IncidentLookup.CMDB));

    Decision decision = decisions.all().get(0);
    assertThat(decisions.all()).hasSize(1);
    assertThat(decision.operation()).isEqualTo(DecisionOperation.ENRICH_INCIDENT);
    assertThat(decision.status()).isEqualTo("enriched");
    assertThat(decision.entityCount()).isEqualTo(2);
    assertThat(decision.errorCount()).isZero();
    assertThat(decision.durationMs()).isNotNull().isGreaterThanOrEqualTo(0L);
    assertThat(decision.incidentId()).isEqualTo(answer.incidentId());
    assertThat(decision.incidentNumber()).isEqualTo(answer.incidentNumber());
    assertThat(decision.detail()).contains("asset:critical").contains("vip");
    assertThat(decision.timeGenerated()).isEqualTo(NOW);
  }
}
