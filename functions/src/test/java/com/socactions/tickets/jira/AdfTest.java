package com.socactions.tickets.jira;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdfTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode incidentDescription() {
    return Adf.document()
        .heading(2, "Suspicious sign-in from a new country")
        .field("Severity", "High")
        .fieldLink(
            "Incident",
            "Sentinel incident 42",
            "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/x")
        .paragraph("Entities:")
        .bulletList(List.of("account: alice@contoso.com", "ip: 203.0.113.7"))
        .table(
            List.of("Tactic", "Technique"),
            List.of(List.of("InitialAccess", "T1078"), List.of("Persistence")))
        .build();
  }

  @Test
  void anIncidentDescriptionIsAValidAdfDocument() {
    ObjectNode doc = incidentDescription();

    assertThat(doc.path("type").asText()).isEqualTo("doc");
    assertThat(doc.path("version").asInt()).isEqualTo(1);
    assertThat(doc.path("content"))
        .extracting(node -> node.path("type").asText())
        .containsExactly("heading", "paragraph", "paragraph", "paragraph", "bulletList", "table");
    JsonNode severity = doc.path("content").get(1).path("content");
    assertThat(severity.get(0).path("text").asText()).isEqualTo("Severity: ");
    assertThat(severity.get(0).path("marks").get(0).path("type").asText()).isEqualTo("strong");
    JsonNode link = doc.path("content").get(2).path("content").get(1);
    assertThat(link.path("marks").get(0).path("attrs").path("href").asText())
        .startsWith("https://portal.azure.com/");
    JsonNode table = doc.path("content").get(5);
    assertThat(table.path("content").get(0).path("content").get(0).path("type").asText())
        .isEqualTo("tableHeader");
    // A short row is padded to the header's width, so the table stays rectangular.
    assertThat(table.path("content").get(2).path("content")).hasSize(2);
  }

  @Test
  void noTextNodeIsEverEmpty() {
    ObjectNode doc = Adf.document().paragraph("").paragraph("a\n\nb").field("Owner", "").build();

    assertThat(doc.findValues("text")).allSatisfy(text -> assertThat(text.asText()).isNotEmpty());
    assertThat(doc.path("content").get(1).path("content"))
        .extracting(n -> n.path("type").asText())
        .containsExactly("text", "hardBreak", "hardBreak", "text");
  }

  @Test
  void aLinkThatIsNotHttpStaysText() {
    ObjectNode doc =
        Adf.document()
            .link("click", "javascript:alert(1)")
            .fieldLink("Incident", "", "data:text/html,x")
            .build();

    assertThat(doc.findValues("href")).isEmpty();
    assertThat(Adf.toPlainText(doc)).isEqualTo("click\n\nIncident: data:text/html,x");
  }

  @Test
  void aDescriptionFlattensToReadableText() {
    assertThat(Adf.toPlainText(incidentDescription()))
        .isEqualTo(
            """
            Suspicious sign-in from a new country

            Severity: High

            Incident: Sentinel incident 42 (https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/x)

            Entities:

            - account: alice@contoso.com
            - ip: 203.0.113.7

            Tactic | Technique
            InitialAccess | T1078
            Persistence |\
            """);
  }

  @Test
  void plainTextRoundTripsThroughAdf() {
    String text = "First paragraph,\nsecond line.\n\nSecond paragraph.";

    assertThat(Adf.toPlainText(Adf.fromPlainText(text))).isEqualTo(text);
    assertThat(Adf.fromPlainText(text).path("content")).hasSize(2);
  }

  @Test
  void theRecordedIssueDescriptionFlattensWithItsPanel() throws Exception {
    JsonNode description =
        JSON.readTree(FakeJira.fixture("GET_rest_api_3_issue_real_cloud.json"))
            .path("fields")
            .path("description");

    String text = Adf.toPlainText(description);

    assertThat(text)
        .startsWith("Lorem Ipsum\u00a0es simplemente")
        .contains("versiones de Lorem Ipsum.\n\n")
        .endsWith("sadsadsad");
  }

  @Test
  void mentionsEmojisAndOrderedListsReadAsAPersonWouldWriteThem() throws Exception {
    JsonNode doc =
        JSON.readTree(
            """
            {"type":"doc","version":1,"content":[
              {"type":"paragraph","content":[{"type":"mention","attrs":{"id":"5b10","text":"@Mia Krystof"}},
                {"type":"text","text":" please check "},{"type":"emoji","attrs":{"shortName":":eyes:","text":"👀"}}]},
              {"type":"orderedList","attrs":{"order":3},"content":[
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"isolate"}]}]},
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"reset"}]}]}]},
              {"type":"codeBlock","content":[{"type":"text","text":"whoami"}]}]}
            """);

    assertThat(Adf.toPlainText(doc))
        .isEqualTo("@Mia Krystof please check 👀\n\n3. isolate\n4. reset\n\nwhoami");
  }

  @Test
  void aStringBodyIsReturnedAsIsAndNonsenseAsNothing() {
    assertThat(Adf.toPlainText(TextNode.valueOf("h3. wiki *markup*")))
        .isEqualTo("h3. wiki *markup*");
    assertThat(Adf.toPlainText(null)).isEmpty();
    assertThat(Adf.toPlainText(JSON.createArrayNode())).isEmpty();
  }

  @Test
  void aDocumentNestedBeyondTheLimitIsCutNotOverflowed() {
    ObjectNode doc = JSON.createObjectNode().put("type", "doc");
    ObjectNode current = doc;
    for (int i = 0; i < 10_000; i++) {
      current = current.putArray("content").addObject().put("type", "blockquote");
    }
    current.putArray("content").addObject().put("type", "text").put("text", "deep");

    assertThat(Adf.toPlainText(doc)).isEmpty();
  }
}
