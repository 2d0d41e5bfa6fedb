package com.socactions.taxii;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.ledger.Action;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.BlockLedger.Confirmation;
import com.socactions.ledger.BlockLedger.Lift;
import com.socactions.ledger.Claim;
import com.socactions.ledger.LedgerEntry;
import com.socactions.ledger.LedgerRequest;
import com.socactions.ledger.LedgerSeeder;
import com.socactions.ledger.Provenance;
import com.socactions.ledger.TestLedgers;
import com.socactions.platform.Json;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.StorageCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TAXII server over a real ledger on Azurite, checked against the TAXII 2.1 fields. */
@ExtendWith(Azurite.class)
class TaxiiServerTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String BASE = "https://soc.example/api/taxii2/";
  private static final String USER = "sentinel";
  private static final String PASSWORD = "correct horse battery staple";
  private static final Provenance ANALYST =
      new Provenance("C2 beacon", null, "inc-7", "run-1", "alice@contoso.com");

  private final MutableClock clock = new MutableClock(NOW);
  private final StorageCalls calls = new StorageCalls();
  private BlockLedger ledger;
  private TaxiiServer server;
  private String all;
  private String edl;

  @BeforeEach
  void freshLedger() {
    ledger =
        new BlockLedger(TestLedgers.tables(calls.storage()), clock, BlockLedger.Options.defaults());
    server = server(ledger, Optional.of(USER), Optional.of(PASSWORD));
    all = TaxiiCollections.idOf(TaxiiCollections.ALL_ALIAS);
    edl = TaxiiCollections.idOf("edl");
  }

  // ---- discovery, API root, collections --------------------------------------------------------

  @Test
  void discoveryNamesTheOneApiRootByItsAbsoluteUrl() {
    JsonNode discovery = ok("discovery", server.discovery(request(Map.of())));

    assertThat(discovery.path("api_roots").get(0).asText()).isEqualTo(BASE + "blocks/");
    assertThat(discovery.path("default").asText()).isEqualTo(BASE + "blocks/");
  }

  @Test
  void theApiRootAndItsCollectionsHaveTheFieldsTheSpecificationRequires() {
    JsonNode root = ok("api-root", server.apiRoot(request(Map.of()), "blocks"));
    assertThat(root.path("versions").get(0).asText()).isEqualTo(TaxiiSpec.MEDIA_TYPE);

    JsonNode collections = ok("collections", server.collections(request(Map.of()), "blocks"));
    assertThat(collections.path("collections"))
        .extracting(c -> c.path("alias").asText())
        .containsExactly("all-blocks", "edl", "defender");
    assertThat(collections.path("collections"))
        .allSatisfy(
            c -> {
              assertThat(c.path("can_read").asBoolean()).isTrue();
              assertThat(c.path("can_write").asBoolean()).isFalse();
            });
    assertThat(
            ok("collection", server.collection(request(Map.of()), "blocks", edl))
                .path("id")
                .asText())
        .isEqualTo(edl)
        .isEqualTo(TaxiiCollections.idOf("edl"));
  }

  @Test
  void collectionIdsAreFixedNameBasedUuids() {
    assertThat(TaxiiCollections.idOf("all-blocks"))
        .isEqualTo(TaxiiCollections.idOf("all-blocks"))
        .isNotEqualTo(TaxiiCollections.idOf("edl"))
        .matches(TaxiiSpec.UUID)
        .satisfies(id -> assertThat(java.util.UUID.fromString(id).version()).isEqualTo(5));
  }

  @Test
  void unknownRootsCollectionsAndObjectsAreTaxii404s() {
    error(404, server.apiRoot(request(Map.of()), "nope"));
    error(404, server.objects(request(Map.of()), "blocks", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"));
    error(
        404,
        server.object(
            request(Map.of()), "blocks", all, "indicator--6ba7b811-9dad-51d1-80b4-00c04fd430c8"));
  }

  @Test
  void malformedParametersAreTaxii400sNamingTheParameter() {
    for (Map<String, String> query :
        List.of(
            Map.of("limit", "0"),
            Map.of("limit", "ten"),
            Map.of("added_after", "yesterday"),
            Map.of("next", "not-a-token"),
            Map.of("match[version]", "newest"))) {
      JsonNode error = error(400, server.objects(request(query), "blocks", all));
      assertThat(error.path("description").asText()).startsWith(query.keySet().iterator().next());
    }
    String otherCollection =
        NextToken.encode(edl, "00000000000000001|6ba7b811-9dad-51d1-80b4-00c04fd430c8");
    error(400, server.objects(request(Map.of("next", otherCollection)), "blocks", all));
  }

  // ---- authentication and media types ----------------------------------------------------------

  @Test
  void withoutItsCredentialsTheWholeServerIsOff() {
    TaxiiServer off = server(ledger, Optional.of(USER), Optional.empty());

    TaxiiServer.Response response = off.discovery(request(Map.of()));

    assertThat(response.status()).isEqualTo(404);
    assertThat(TaxiiSpec.violations("error", json(response))).isEmpty();
    assertThat(off.objects(request(Map.of()), "blocks", all).status()).isEqualTo(404);
  }

  @Test
  void everyWrongOrMissingCredentialGetsTheSame401WithABasicChallenge() {
    List<String> wrong =
        List.of(
            basic("mallory", PASSWORD),
            basic(USER, "wrong"),
            basic(USER, PASSWORD + " "),
            "Basic not-base64!",
            "Bearer " + PASSWORD,
            "Basic " + Base64.getEncoder().encodeToString(USER.getBytes(StandardCharsets.UTF_8)));
    List<TaxiiServer.Response> answers = new ArrayList<>();
    answers.add(
        server.discovery(new TaxiiServer.Request(BASE, TaxiiSpec.MEDIA_TYPE, null, Map.of())));
    wrong.forEach(
        header ->
            answers.add(
                server.discovery(
                    new TaxiiServer.Request(BASE, TaxiiSpec.MEDIA_TYPE, header, Map.of()))));

    for (TaxiiServer.Response answer : answers) {
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.headers())
          .containsEntry(
              "WWW-Authenticate", "Basic realm=\"SOC Actions TAXII\", charset=\"UTF-8\"");
      assertThat(TaxiiSpec.violations("error", json(answer))).isEmpty();
      assertThat(answer.body()).isEqualTo(answers.get(0).body());
    }
  }

  @Test
  void everyCheckComparesTwoDigestsWhateverWasWrong() {
    List<byte[]> compared = new ArrayList<>();
    TaxiiAccess access =
        new TaxiiAccess(
            Optional.of(USER),
            Optional.of(PASSWORD),
            (presented, expected) -> {
              compared.add(presented);
              compared.add(expected);
              return java.security.MessageDigest.isEqual(presented, expected);
            });
    List<String> headers =
        new ArrayList<>(
            List.of(
                basic(USER, PASSWORD),
                basic("mallory", PASSWORD),
                basic(USER, "x".repeat(10_000)),
                "Basic %%%",
                ""));
    headers.add(null);

    for (String header : headers) {
      compared.clear();
      boolean permitted = access.permits(header);
      assertThat(permitted).isEqualTo(header != null && header.equals(basic(USER, PASSWORD)));
      assertThat(compared).as("user and password compared, as digests").hasSize(4);
      assertThat(compared).allSatisfy(bytes -> assertThat(bytes).hasSize(32));
    }
  }

  @Test
  void acceptNegotiationTakesTaxii21AnyVersionOfTaxiiJsonAndWildcardsAndRefusesTheRest() {
    for (String accept :
        new String[] {
          "application/taxii+json;version=2.1",
          "application/taxii+json",
          "application/taxii+json; version=\"2.1\"",
          "*/*",
          "application/*",
          "text/html, application/taxii+json;version=2.1;q=0.9",
          null
        }) {
      TaxiiServer.Response response =
          server.discovery(new TaxiiServer.Request(BASE, accept, basic(USER, PASSWORD), Map.of()));
      assertThat(response.status()).as(String.valueOf(accept)).isEqualTo(200);
      assertThat(response.contentType()).isEqualTo(TaxiiSpec.MEDIA_TYPE);
    }
    for (String accept :
        new String[] {
          "application/taxii+json;version=2.0",
          "application/json",
          "application/stix+json;version=2.1",
          "application/taxii+json;q=0"
        }) {
      TaxiiServer.Response response =
          server.discovery(new TaxiiServer.Request(BASE, accept, basic(USER, PASSWORD), Map.of()));
      assertThat(response.status()).as(accept).isEqualTo(406);
      assertThat(TaxiiSpec.violations("error", json(response))).isEmpty();
    }
  }

  // ---- objects ---------------------------------------------------------------------------------

  @Test
  void aBlockIsServedOnceVisibleAsAStixIndicatorBesideTheConnectorsIdentity() {
    block("edl", "203.0.113.7");

    assertThat(objects(all, Map.of()).path("objects"))
        .as("not before the visibility delay")
        .extracting(o -> o.path("type").asText())
        .containsExactly("identity");
    clock.advance(TaxiiServer.VISIBILITY_DELAY);

    JsonNode envelope = objects(all, Map.of());
    assertThat(envelope.path("objects"))
        .extracting(o -> o.path("type").asText())
        .containsExactly("identity", "indicator");
    assertThat(envelope.path("more").asBoolean()).isFalse();
    for (JsonNode object : envelope.path("objects")) {
      assertThat(StixSchemas.errors(object)).isEmpty();
    }
    assertThat(envelope.path("objects").get(1).path("pattern").asText())
        .isEqualTo("[ipv4-addr:value = '203.0.113.7']");
    assertThat(objects(edl, Map.of()).path("objects")).hasSize(2);
    assertThat(objects(TaxiiCollections.idOf("defender"), Map.of()).path("objects")).hasSize(1);
  }

  @Test
  void anUnblockAndAnExpiryAreNewVersionsOfTheSameIndicatorRevoked() {
    LedgerEntry lifted = block("edl", "203.0.113.7");
    block("edl", "203.0.113.8");
    clock.advance(TaxiiServer.VISIBILITY_DELAY);
    JsonNode before = indicators(objects(all, Map.of()));
    String lastSeen = objectsResponse(all, Map.of()).headers().get("X-TAXII-Date-Added-Last");
    clock.advance(Duration.ofMinutes(10));

    Provenance bob = new Provenance("false positive", null, null, null, "bob@contoso.com");
    ledger.recordLifts(
        ledger.claimLifts(List.of(lifted), false, bob).stream()
            .map(claim -> Lift.done(claim.entry(), bob))
            .toList());
    clock.advance(Duration.ofHours(25));
    ledger.recordLifts(
        ledger
            .claimLifts(
                ledger.nextDue(10).stream().map(BlockLedger.Due::entry).toList(),
                true,
                Provenance.TIMER)
            .stream()
            .map(claim -> Lift.done(claim.entry(), Provenance.TIMER))
            .toList());
    clock.advance(TaxiiServer.VISIBILITY_DELAY);

    JsonNode changed = indicators(objects(all, Map.of("added_after", lastSeen)));
    assertThat(changed).hasSize(2);
    for (JsonNode indicator : changed) {
      assertThat(StixSchemas.errors(indicator)).isEmpty();
      assertThat(indicator.path("revoked").asBoolean()).isTrue();
      JsonNode earlier = find(before, indicator.path("id").asText());
      assertThat(earlier).as("the same indicator, a later version").isNotNull();
      assertThat(indicator.path("modified").asText())
          .isGreaterThan(earlier.path("modified").asText());
      assertThat(indicator.path("created").asText()).isEqualTo(earlier.path("created").asText());
    }
    assertThat(indicators(objects(all, Map.of())))
        .as("superseded versions are not served")
        .hasSize(2);
  }

  @Test
  void addedAfterIsStrictlyAfterTheDateAddedNotTheCreationTime() {
    // Claimed before the cursor, confirmed (added) after it.
    Claim late = ledger.claimActive(List.of(request("edl", "203.0.113.9"))).get(0);
    block("edl", "203.0.113.7");
    clock.advance(TaxiiServer.VISIBILITY_DELAY);
    TaxiiServer.Response first = objectsResponse(all, Map.of());
    String last = first.headers().get("X-TAXII-Date-Added-Last");
    clock.advance(Duration.ofSeconds(5));
    ledger.confirm(List.of(new Confirmation(late.entry(), null)));
    clock.advance(TaxiiServer.VISIBILITY_DELAY);

    JsonNode after = objects(all, Map.of("added_after", last));

    assertThat(indicators(after))
        .extracting(o -> o.path("pattern").asText())
        .containsExactly("[ipv4-addr:value = '203.0.113.9']");
    assertThat(indicators(after).get(0).path("created").asText()).isLessThan(last);
    JsonNode manifest = ok("manifest", server.manifest(request(Map.of()), "blocks", all));
    JsonNode seen = manifest.path("objects").get(1);
    assertThat(seen.path("date_added").asText()).isEqualTo(last);
    assertThat(
            objects(all, Map.of("added_after", seen.path("date_added").asText())).path("objects"))
        .as("strictly after: the object added at that instant is not served again")
        .extracting(o -> o.path("id").asText())
        .doesNotContain(seen.path("id").asText());
  }

  @Test
  void matchFiltersByTypeIdAndVersion() {
    block("edl", "203.0.113.7");
    block("edl", "evil.example");
    clock.advance(TaxiiServer.VISIBILITY_DELAY);
    JsonNode indicators = indicators(objects(all, Map.of()));
    String id = indicators.get(1).path("id").asText();
    String version = indicators.get(1).path("modified").asText();

    assertThat(objects(all, Map.of("match[type]", "identity")).path("objects")).hasSize(1);
    assertThat(objects(all, Map.of("match[type]", "indicator")).path("objects")).hasSize(2);
    assertThat(objects(all, Map.of("match[type]", "malware")).has("objects")).isFalse();
    assertThat(objects(all, Map.of("match[id]", id)).path("objects"))
        .extracting(o -> o.path("id").asText())
        .containsExactly(id);
    assertThat(
            objects(all, Map.of("match[id]", id + "," + StixObjects.IDENTITY_ID)).path("objects"))
        .hasSize(2);
    assertThat(objects(TaxiiCollections.idOf("defender"), Map.of("match[id]", id)).has("objects"))
        .as("not in that collection")
        .isFalse();
    assertThat(
            objects(all, Map.of("match[version]", version, "match[type]", "indicator"))
                .path("objects"))
        .extracting(o -> o.path("id").asText())
        .containsExactly(id);
    assertThat(objects(all, Map.of("match[version]", "all")).path("objects")).hasSize(3);
    assertThat(objects(all, Map.of("match[spec_version]", "2.0")).has("objects")).isFalse();
    JsonNode one = ok("envelope", server.object(request(Map.of()), "blocks", all, id));
    assertThat(one.path("objects")).extracting(o -> o.path("id").asText()).containsExactly(id);
    JsonNode versions = ok("versions", server.versions(request(Map.of()), "blocks", all, id));
    assertThat(versions.path("versions")).extracting(JsonNode::asText).containsExactly(version);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES) // Azurite's upserts slow down with the partition
  void tenThousandObjectsArePagedThroughOnceEachInTheOrderTheyWereAdded() {
    seed(10_000, "198.18.");
    clock.advance(TaxiiServer.VISIBILITY_DELAY);

    Set<String> seen = new HashSet<>();
    String next = null;
    String previousLast = "";
    int pages = 0;
    while (true) {
      Map<String, String> query = next == null ? Map.of() : Map.of("next", next);
      TaxiiServer.Response response = objectsResponse(all, query);
      JsonNode envelope = ok("envelope", response);
      pages++;
      JsonNode objects = envelope.path("objects");
      assertThat(objects.size()).isLessThanOrEqualTo(TaxiiQuery.DEFAULT_LIMIT);
      objects.forEach(object -> assertThat(seen.add(object.path("id").asText())).isTrue());
      String first = response.headers().get("X-TAXII-Date-Added-First");
      assertThat(first).matches(TaxiiSpec.TIMESTAMP).isGreaterThan(previousLast);
      previousLast = response.headers().get("X-TAXII-Date-Added-Last");
      if (!envelope.path("more").asBoolean()) {
        assertThat(envelope.has("next")).isFalse();
        break;
      }
      next = envelope.path("next").asText();
    }

    assertThat(seen).hasSize(10_001); // and the identity
    assertThat(pages).isEqualTo(11);
    // A client walking by added_after instead of next sees the same objects.
    Set<String> byDate = new HashSet<>();
    String after = null;
    do {
      Map<String, String> query = new HashMap<>(Map.of("limit", "2500"));
      if (after != null) {
        query.put("added_after", after);
      }
      TaxiiServer.Response response = objectsResponse(all, query);
      ok("envelope", response).path("objects").forEach(o -> byDate.add(o.path("id").asText()));
      after = response.headers().get("X-TAXII-Date-Added-Last");
    } while (byDate.size() < seen.size() && after != null);
    assertThat(byDate).isEqualTo(seen);
  }

  @Test
  void aPageCostsTheSameFewStorageCallsOnASmallAndOnALargeLedger() {
    seed(30, "198.20.");
    clock.advance(TaxiiServer.VISIBILITY_DELAY);
    calls.clear();
    objectsResponse(all, Map.of("limit", "20"));
    int small = calls.count();

    seed(5_000, "198.19.");
    clock.advance(TaxiiServer.VISIBILITY_DELAY);
    objectsResponse(all, Map.of("limit", "20")); // the tables' clients are warm either way
    calls.clear();
    objectsResponse(all, Map.of("limit", "20", "added_after", "2026-03-01T12:00:00Z"));
    int large = calls.count();
    calls.clear();
    objectsResponse(all, Map.of("limit", "1000"));
    int fullPage = calls.count();

    assertThat(small).isEqualTo(1);
    assertThat(large).isEqualTo(small);
    assertThat(fullPage).as("1,001 entries: the service answers 1,000 a call").isEqualTo(2);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private TaxiiServer server(BlockLedger ledger, Optional<String> user, Optional<String> password) {
    Map<String, String> providers = new LinkedHashMap<>();
    providers.put("edl", "External Dynamic List");
    providers.put("defender", "Microsoft Defender for Endpoint");
    return new TaxiiServer(
        new TaxiiAccess(user, password, java.security.MessageDigest::isEqual),
        new TaxiiCollections(providers),
        () -> ledger,
        clock);
  }

  /**
   * {@code count} active blocks published through the ledger's publication code, one second later
   * (the rows themselves would cost minutes on Azurite and the pages never read them).
   */
  private void seed(int count, String prefix) {
    List<LedgerRequest> requests =
        IntStream.range(0, count)
            .mapToObj(
                i -> {
                  String value = prefix + (i / 250) + "." + (i % 250);
                  return new LedgerRequest(
                      "edl",
                      new Indicator(IndicatorType.IP, value, value),
                      Action.BLOCK,
                      clock.instant().plus(Duration.ofDays(1)),
                      ANALYST);
                })
            .toList();
    LedgerSeeder.seedPublished(ledger, requests, clock.instant());
    clock.advance(Duration.ofSeconds(1));
  }

  private LedgerEntry block(String provider, String value) {
    Claim claim = ledger.claimActive(List.of(request(provider, value))).get(0);
    clock.advance(Duration.ofMillis(10));
    return ledger.confirm(List.of(new Confirmation(claim.entry(), null))).get(0);
  }

  private LedgerRequest request(String provider, String value) {
    return new LedgerRequest(
        provider,
        ((com.socactions.indicators.ParseResult.Parsed)
                com.socactions.indicators.Indicators.parse(value))
            .indicator(),
        Action.BLOCK,
        clock.instant().plus(Duration.ofHours(24)),
        ANALYST);
  }

  private JsonNode objects(String collection, Map<String, String> query) {
    return ok("envelope", objectsResponse(collection, query));
  }

  private TaxiiServer.Response objectsResponse(String collection, Map<String, String> query) {
    return server.objects(request(query), "blocks", collection);
  }

  private static JsonNode indicators(JsonNode envelope) {
    List<JsonNode> found = new ArrayList<>();
    envelope
        .path("objects")
        .forEach(
            o -> {
              if (o.path("type").asText().equals("indicator")) {
                found.add(o);
              }
            });
    return Json.MAPPER.valueToTree(found);
  }

  private static JsonNode find(JsonNode objects, String id) {
    for (JsonNode object : objects) {
      if (object.path("id").asText().equals(id)) {
        return object;
      }
    }
    return null;
  }

  private static TaxiiServer.Request request(Map<String, String> query) {
    return new TaxiiServer.Request(BASE, TaxiiSpec.MEDIA_TYPE, basic(USER, PASSWORD), query);
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode ok(String resource, TaxiiServer.Response response) {
    JsonNode json = json(response);
    assertThat(response.status()).as(json.toString()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo(TaxiiSpec.MEDIA_TYPE);
    assertThat(TaxiiSpec.violations(resource, json)).isEmpty();
    return json;
  }

  private static JsonNode error(int status, TaxiiServer.Response response) {
    JsonNode json = json(response);
    assertThat(response.status()).as(json.toString()).isEqualTo(status);
    assertThat(TaxiiSpec.violations("error", json)).isEmpty();
    assertThat(json.path("http_status").asText()).isEqualTo(Integer.toString(status));
    return json;
  }

  private static JsonNode json(TaxiiServer.Response response) {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(new String(response.body(), StandardCharsets.UTF_8), e);
    }
  }
}
