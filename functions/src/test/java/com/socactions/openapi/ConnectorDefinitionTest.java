package com.socactions.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.Lists;
import io.swagger.parser.SwaggerParser;
import io.swagger.parser.util.SwaggerDeserializationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The committed connector definition ({@code openapi/apiDefinition.swagger.json}) against the
 * contract in {@code shared/design/CONNECTOR-API.md}. Rule checks list every violation with its
 * JSON path, so one run shows everything to fix.
 */
class ConnectorDefinitionTest {

  private final ConnectorRules rules = ConnectorRules.forTheConnector();
  private final JsonNode root = rules.root();

  @Test
  void theDefinitionParsesAsSwagger2WithoutMessages() throws IOException {
    SwaggerDeserializationResult result =
        new SwaggerParser().readWithInfo(Files.readString(ConnectorRules.DEFINITION));

    assertThat(result.getMessages()).as("parser messages").isEmpty();
    assertThat(result.getSwagger()).isNotNull();
    assertThat(result.getSwagger().getSwagger()).isEqualTo("2.0");
    assertThat(result.getSwagger().getPaths()).isNotEmpty();
  }

  @Test
  void theHeaderNamesTheConnectorAndItsBasePath() {
    assertThat(root.path("swagger").asText()).isEqualTo("2.0");
    assertThat(root.at("/info/title").asText()).isEqualTo("SOC Actions");
    assertThat(root.at("/info/version").asText()).isEqualTo("1.0.0");
    assertThat(root.at("/info/description").asText()).isNotBlank();
    assertThat(root.at("/info/contact").isObject()).as("info.contact").isTrue();
    assertThat(root.path("host").asText())
        .as("host placeholder, rewritten when served")
        .isNotBlank();
    assertThat(root.path("basePath").asText()).isEqualTo("/api");
    assertThat(texts(root.path("schemes"))).containsExactly("https");
    assertThat(texts(root.path("consumes"))).contains("application/json");
    assertThat(texts(root.path("produces")))
        .contains("application/json", "application/problem+json");
    assertThat(rules.operations()).allSatisfy(op -> assertThat(op.path()).startsWith("/v1/"));
  }

  @Test
  void everyOperationIdIsPascalCase() {
    assertThat(rules.operationIdsArePascalCase()).isEmpty();
  }

  @Test
  void everySummaryIsSentenceCaseShortAndUnpunctuated() {
    assertThat(rules.summariesAreSentenceCaseShortAndUnpunctuated()).isEmpty();
  }

  @Test
  void everyOperationHasAFullSentenceDescription() {
    assertThat(rules.descriptionsAreFullSentences()).isEmpty();
  }

  @Test
  void everyParameterAndResponsePropertyHasXmsSummary() {
    assertThat(rules.parametersAndPropertiesHaveXmsSummary()).isEmpty();
  }

  @Test
  void every200ResponseHasASchema() {
    assertThat(rules.okResponsesHaveSchemas()).isEmpty();
  }

  @Test
  void noDefaultResponseHasASchema() {
    assertThat(rules.defaultResponsesHaveNoSchema()).isEmpty();
  }

  @Test
  void internalRequiredParametersHaveDefaults() {
    assertThat(rules.internalRequiredParametersHaveDefaults()).isEmpty();
  }

  @Test
  void theContractOperationsAreAllPresent() {
    // More operations come later: the contract's are a subset, at their contract routes.
    assertThat(rules.operationRoutes())
        .containsAllEntriesOf(
            Map.of(
                "GetHealth", "GET /v1/health",
                "ListProviders", "GET /v1/providers",
                "EnrichIpAddresses", "POST /v1/enrich/ips",
                "EnrichIpAddress", "GET /v1/enrich/ips/{ip}",
                "EnrichDomains", "POST /v1/enrich/domains"));
    assertThat(rules.operationRoutes())
        .containsAllEntriesOf(
            Map.of(
                "BlockIndicators", "POST /v1/indicators/block",
                "AllowIndicators", "POST /v1/indicators/allow",
                "UnblockIndicators", "POST /v1/indicators/unblock",
                "ListIndicators", "GET /v1/indicators",
                "GetFeed", "GET /v1/feeds/{list}",
                "LookupAssets", "POST /v1/cmdb/assets/lookup",
                "LookupAccounts", "POST /v1/cmdb/accounts/lookup",
                "EnrichIncident", "POST /v1/incidents/enrich"));
    assertThat(rules.operationRoutes())
        .containsAllEntriesOf(
            Map.of(
                "SyncTicket", "POST /v1/tickets/sync",
                "GetTicket", "GET /v1/tickets",
                "TicketInbound", "POST /v1/tickets/inbound/{system}"));
    assertThat(rules.operationRoutes())
        .containsAllEntriesOf(
            Map.of(
                "DisableAccounts", "POST /v1/accounts/disable",
                "EnableAccounts", "POST /v1/accounts/enable",
                "RevokeSessions", "POST /v1/accounts/revoke-sessions",
                "ConfirmCompromised", "POST /v1/accounts/confirm-compromised"));
  }

  @Test
  void theFunctionKeyIsTheSecurityScheme() {
    JsonNode scheme = root.at("/securityDefinitions/function_key");
    assertThat(scheme.path("type").asText()).isEqualTo("apiKey");
    assertThat(scheme.path("in").asText()).isEqualTo("header");
    assertThat(scheme.path("name").asText()).isEqualTo("x-functions-key");
    assertThat(root.path("securityDefinitions").size()).as("one security scheme").isEqualTo(1);

    JsonNode security = root.path("security");
    assertThat(security.isArray() && security.size() == 1)
        .as("security: [{function_key: []}]")
        .isTrue();
    assertThat(security.get(0).path("function_key").isArray()).isTrue();
    // Firewalls cannot send a function key: the feed has its own secret (FEED_TOKEN), and only it.
    assertThat(rules.operations())
        .as("no operation but GetFeed overrides the function key")
        .allSatisfy(
            op ->
                assertThat(op.node().has("security"))
                    .as(op.jsonPath())
                    .isEqualTo(op.operationId().equals("GetFeed")));
    assertThat(root.at("/paths/~1v1~1feeds~1{list}/get/security"))
        .as("GetFeed's security")
        .isEmpty();
    assertThat(root.at("/paths/~1v1~1feeds~1{list}/get/x-ms-visibility").asText())
        .isEqualTo("internal");
  }

  @Test
  void theConnectionTestIsGetHealthWithoutParameters() {
    JsonNode test = root.at("/x-ms-capabilities/testConnection");
    assertThat(test.path("operationId").asText()).isEqualTo("GetHealth");
    assertThat(test.path("parameters").isObject()).isTrue();

    ConnectorRules.Operation health =
        rules.operations().stream()
            .filter(op -> "GetHealth".equals(op.operationId()))
            .findFirst()
            .orElseThrow();
    assertThat(health.method()).as("a connection test must be a GET").isEqualTo("get");
    assertThat(health.node().path("parameters"))
        .as("a connection test runs without parameters")
        .noneMatch(p -> p.path("required").asBoolean(false));
    assertThat(health.node().path("x-ms-visibility").asText())
        .as("analysts use it")
        .isNotEqualTo("internal");
  }

  @Test
  void theConnectorMetadataClaimsOnlyWhatIsTrue() {
    // The app runs in each customer's own subscription: there is no product website or privacy
    // policy page to point at, so the definition names none rather than a placeholder.
    Map<String, String> metadata = new LinkedHashMap<>();
    root.path("x-ms-connector-metadata")
        .forEach(
            m -> metadata.put(m.path("propertyName").asText(), m.path("propertyValue").asText()));
    assertThat(metadata).containsExactly(Map.entry("Categories", "Security;IT Operations"));
    assertThat(root.at("/info/contact").fieldNames())
        .toIterable()
        .as("info.contact")
        .containsExactly("name");
  }

  @Test
  void noPlaceholderTextIsLeft() throws IOException {
    String text = Files.readString(ConnectorRules.DEFINITION).toLowerCase(Locale.ROOT);

    assertThat(text)
        .doesNotContain(
            "soc-actions.example", "more to come", "todo", "tbd", "lorem", "coming soon");
    assertThat(Pattern.compile("https?://").matcher(text).results().count())
        .as("URLs in the definition (none is true for every deployment)")
        .isZero();
  }

  @Test
  void every200ResponseDeclaresTheCorrelationHeader() {
    assertThat(rules.operations())
        .allSatisfy(
            op ->
                assertThat(op.node().at("/responses/200/headers/x-correlation-id/type").asText())
                    .as(op.jsonPath() + ".responses['200'].headers['x-correlation-id']")
                    .isEqualTo("string"));
  }

  @Test
  void everyErrorResponseIsAProblemExceptTheHostsEmpty401() {
    assertThat(rules.operations())
        .allSatisfy(
            op -> {
              JsonNode responses = op.node().path("responses");
              // The feed validates nothing a firewall sends but its secret and the list name (404).
              List<String> expected =
                  new ArrayList<>(
                      op.operationId().equals("GetFeed") ? List.of("401") : List.of("400", "401"));
              if (takesABody(op)) {
                expected.addAll(List.of("413", "415"));
              }
              assertThat(responses.fieldNames())
                  .toIterable()
                  .as(op.jsonPath() + ".responses")
                  .containsAll(expected);
              assertThat(responses.path("401").has("schema"))
                  .as(
                      op.jsonPath()
                          + ".responses['401'].schema: the Functions host answers 401 with an empty"
                          + " body")
                  .isFalse();
              responses.properties().stream()
                  .filter(r -> r.getKey().matches("[45]\\d\\d") && !r.getKey().equals("401"))
                  .forEach(
                      r ->
                          assertThat(r.getValue().at("/schema/$ref").asText())
                              .as(op.jsonPath() + ".responses['" + r.getKey() + "'].schema")
                              .isEqualTo("#/definitions/Problem"));
              responses.properties().stream()
                  .filter(r -> r.getKey().equals("429") || r.getKey().equals("503"))
                  .forEach(
                      r ->
                          assertThat(r.getValue().at("/headers/Retry-After/type").asText())
                              .as(
                                  op.jsonPath()
                                      + ".responses['"
                                      + r.getKey()
                                      + "'].headers['Retry-After']")
                              .isEqualTo("integer"));
            });
  }

  @Test
  void eachOperationDocumentsTheStatusesItsFunctionCanAnswerAndNoOthers() {
    // Read off the function classes: Invocation (400 body, 413, 415), BatchInput (413 over 1,000
    // items, 5,000 where a job may take them), DomainProblems (422 for a malformed setting),
    // MetaFunctions (503 only for an unhealthy strict health check). RDAP failures are per item,
    // so enrichment answers 503 only when its work goes to a job and storage is down.
    // LongRequests: 202 for work that runs as a job; GetJob: the job's progress (202), its answer
    // (200, or the operation's 400/422), 404 once expired, 503 when storage is down.
    Map<String, Set<String>> expected =
        Map.ofEntries(
            Map.entry("GetHealth", Set.of("200", "400", "401", "503")),
            Map.entry("ListProviders", Set.of("200", "400", "401")),
            Map.entry(
                "EnrichIpAddresses",
                Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            Map.entry("EnrichIpAddress", Set.of("200", "400", "401", "422")),
            Map.entry(
                "EnrichDomains", Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            // BlockingService: 422 for a provider that is not configured or a malformed setting;
            // 503 when
            // storage or the provider could take nothing (Retry-After). ListIndicators: storage
            // down.
            Map.entry(
                "BlockIndicators", Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            Map.entry(
                "AllowIndicators", Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            Map.entry(
                "UnblockIndicators",
                Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            Map.entry("ListIndicators", Set.of("200", "400", "401", "503")),
            Map.entry("GetFeed", Set.of("200", "304", "401", "404")),
            // CmdbService: 422 for a CMDB that is not configured or whose files are unusable.
            Map.entry("LookupAssets", Set.of("200", "400", "401", "413", "415", "422")),
            Map.entry("LookupAccounts", Set.of("200", "400", "401", "413", "415", "422")),
            // IncidentEnrichmentService: a failed lookup is an entry in errors[], never the status;
            // 413
            // past 500 entities; 422 only for its own malformed setting (ENRICH_INCIDENT_DEADLINE).
            Map.entry(
                "EnrichIncident", Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            // TicketSyncService: 422 for a system not configured or refusing our credentials
            // (DomainProblems);
            // the system's throttling (429), refusals (502) and outages or a create in progress
            // (503).
            Map.entry(
                "SyncTicket",
                Set.of("200", "400", "401", "413", "415", "422", "429", "502", "503")),
            Map.entry("GetTicket", Set.of("200", "400", "401", "422", "503")),
            // TicketWebhooks: 401 for a signature that does not verify, 422 when the system's
            // secret is not set.
            Map.entry("TicketInbound", Set.of("200", "400", "401", "413", "415", "422", "503")),
            // IdentityService: per-account failures are results; 422 for a malformed Graph setting
            // or
            // refused credentials; 503 when Graph, its token or state storage is unavailable.
            Map.entry(
                "DisableAccounts", Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            Map.entry(
                "EnableAccounts", Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            Map.entry(
                "RevokeSessions", Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            Map.entry(
                "ConfirmCompromised",
                Set.of("200", "202", "400", "401", "413", "415", "422", "503")),
            Map.entry("GetJob", Set.of("200", "202", "400", "401", "404", "422", "503")));
    Map<String, Set<String>> documented = new TreeMap<>();
    rules.operations().stream()
        .filter(op -> expected.containsKey(op.operationId()))
        .forEach(
            op ->
                documented.put(
                    op.operationId(),
                    new TreeSet<>(Lists.newArrayList(op.node().path("responses").fieldNames()))));
    assertThat(documented).as("operationId -> documented statuses").isEqualTo(expected);
  }

  @Test
  void listProvidersTakesACapabilityEnumAndIncludeUnconfigured() {
    JsonNode parameters = root.at("/paths/~1v1~1providers/get/parameters");
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    parameters.forEach(p -> byName.put(p.path("name").asText(), p));

    assertThat(byName).containsOnlyKeys("capability", "include_unconfigured");
    assertThat(texts(byName.get("capability").path("enum")))
        .containsExactly("enrich", "block", "cmdb", "tickets");
    assertThat(byName.get("include_unconfigured").path("type").asText()).isEqualTo("boolean");
    assertThat(byName.get("include_unconfigured").path("default").isBoolean()).isTrue();
    assertThat(byName.get("include_unconfigured").path("default").asBoolean()).isFalse();
  }

  @Test
  void enrichIpAddressTakesLookupsAsACommaSeparatedArrayOfEnums() {
    JsonNode lookups = root.at("/parameters/LookupsQuery");

    assertThat(root.at("/paths/~1v1~1enrich~1ips~1{ip}/get/parameters/1/$ref").asText())
        .isEqualTo("#/parameters/LookupsQuery");
    assertThat(lookups.path("in").asText()).isEqualTo("query");
    assertThat(lookups.path("type").asText()).isEqualTo("array");
    assertThat(lookups.path("collectionFormat").asText()).isEqualTo("csv");
    assertThat(texts(lookups.at("/items/enum"))).containsExactly("geo", "asn", "whois");
  }

  private static boolean takesABody(ConnectorRules.Operation op) {
    for (JsonNode parameter : op.node().path("parameters")) {
      if ("body".equals(parameter.path("in").asText())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void apiPropertiesDeclaresTheFunctionKeyParameter() {
    JsonNode properties = ConnectorRules.readJson(ConnectorRules.PROPERTIES).path("properties");
    JsonNode apiKey = properties.at("/connectionParameters/api_key");

    assertThat(apiKey.path("type").asText()).isEqualTo("securestring");
    assertThat(apiKey.at("/uiDefinition/displayName").asText()).isEqualTo("Function key");
    assertThat(apiKey.at("/uiDefinition/description").asText()).contains("x-functions-key");
    assertThat(apiKey.at("/uiDefinition/tooltip").asText()).isNotBlank();
    assertThat(apiKey.at("/uiDefinition/constraints/required").asText()).isEqualTo("true");
    assertThat(apiKey.at("/uiDefinition/constraints/clearText").asBoolean(true))
        .as("clearText")
        .isFalse();
    assertThat(properties.path("connectionParameters").size())
        .as("one connection parameter")
        .isEqualTo(1);
    assertThat(properties.path("iconBrandColor").asText()).matches("#[0-9A-Fa-f]{6}");
    assertThat(properties.path("publisher").asText()).isEqualTo("SOC Actions");
    assertThat(properties.path("stackOwner").asText()).isEqualTo("SOC Actions");
    assertThat(properties.path("capabilities").isArray()).isTrue();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
