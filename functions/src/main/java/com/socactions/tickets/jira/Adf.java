package com.socactions.tickets.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Atlassian Document Format, the rich text of Jira Cloud REST v3 ({@code description}, comment
 * {@code body}): a small builder for what an incident description needs (headings, paragraphs, bold
 * labels, links, bullet lists, tables) and a flattener that turns any ADF document into plain text
 * (for comments that come back from Jira).
 *
 * <p>The builder only writes nodes of the published schema: text nodes are never empty (Jira
 * refuses them), and only {@code http}, {@code https} and {@code mailto} links become links;
 * anything else stays text, so a value from an incident cannot plant a {@code javascript:} link.
 */
public final class Adf {
  /** Nesting deeper than this is not followed when flattening (a hostile or broken document). */
  public static final int MAX_DEPTH = 64;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SAFE_HREF = Pattern.compile("(?i)(https?://|mailto:)\\S+");
  private static final Pattern BLANK_LINES = Pattern.compile("\\R\\s*\\R");

  private Adf() {}

  /** A new document builder. */
  public static Builder document() {
    return new Builder();
  }

  /**
   * A document of plain text: paragraphs at blank lines, a hard break at each other line break. An
   * empty or null text gives an empty document (which Jira accepts).
   */
  public static ObjectNode fromPlainText(String text) {
    return document().plainText(text).build();
  }

  /**
   * Builds one document; each step adds a block at the end. Not thread-safe; {@link #build()}
   * returns a copy, so the builder may go on.
   */
  public static final class Builder {
    private final ArrayNode content = NODES.arrayNode();

    private Builder() {}

    /** A heading of level 1 to 6. */
    public Builder heading(int level, String text) {
      if (level < 1 || level > 6) {
        throw new IllegalArgumentException("'level' must be 1 to 6, not " + level);
      }
      ObjectNode heading = block("heading");
      heading.putObject("attrs").put("level", level);
      heading.set("content", lines(text));
      return this;
    }

    /** A paragraph of text; line breaks become hard breaks. */
    public Builder paragraph(String text) {
      block("paragraph").set("content", lines(text));
      return this;
    }

    /**
     * Plain text as {@link #fromPlainText} reads it: a paragraph per blank-line-separated block,
     * hard breaks within; nothing for a null or blank text.
     */
    public Builder plainText(String text) {
      if (text != null) {
        for (String paragraph : BLANK_LINES.split(text.strip())) {
          if (!paragraph.isBlank()) {
            paragraph(paragraph.strip());
          }
        }
      }
      return this;
    }

    /** A paragraph {@code **label:** value}, e.g. {@code Severity: High}. */
    public Builder field(String label, String value) {
      ArrayNode inline = NODES.arrayNode();
      addText(inline, label + ": ", "strong");
      inline.addAll(lines(value));
      block("paragraph").set("content", inline);
      return this;
    }

    /**
     * A paragraph {@code **label:** <a href=url>text</a>}; a URL that is not http(s)/mailto is
     * shown as text.
     */
    public Builder fieldLink(String label, String text, String url) {
      ArrayNode inline = NODES.arrayNode();
      addText(inline, label + ": ", "strong");
      addLink(inline, text, url);
      block("paragraph").set("content", inline);
      return this;
    }

    /** A paragraph holding one link. */
    public Builder link(String text, String url) {
      ArrayNode inline = NODES.arrayNode();
      addLink(inline, text, url);
      block("paragraph").set("content", inline);
      return this;
    }

    /**
     * A bullet list, one item per string; nothing when the list is empty (ADF lists need an item).
     */
    public Builder bulletList(List<String> items) {
      if (items.isEmpty()) {
        return this;
      }
      ObjectNode list = block("bulletList");
      ArrayNode listItems = list.putArray("content");
      for (String item : items) {
        ObjectNode listItem = listItems.addObject().put("type", "listItem");
        listItem.putArray("content").add(paragraphNode(item));
      }
      return this;
    }

    /**
     * A table with a header row; each row is padded or cut to the header's width. Nothing when the
     * header is empty.
     */
    public Builder table(List<String> header, List<List<String>> rows) {
      if (header.isEmpty()) {
        return this;
      }
      ObjectNode table = block("table");
      table.putObject("attrs").put("isNumberColumnEnabled", false).put("layout", "default");
      ArrayNode tableRows = table.putArray("content");
      tableRows.add(row("tableHeader", header, header.size()));
      for (List<String> row : rows) {
        tableRows.add(row("tableCell", row, header.size()));
      }
      return this;
    }

    /** A horizontal rule. */
    public Builder rule() {
      block("rule");
      return this;
    }

    /** The document: {@code {"type":"doc","version":1,"content":[...]}}. */
    public ObjectNode build() {
      ObjectNode doc = NODES.objectNode();
      doc.put("type", "doc");
      doc.put("version", 1);
      doc.set("content", content.deepCopy());
      return doc;
    }

    private ObjectNode block(String type) {
      return content.addObject().put("type", type);
    }

    private static ObjectNode row(String cellType, List<String> cells, int width) {
      ObjectNode row = NODES.objectNode().put("type", "tableRow");
      ArrayNode rowCells = row.putArray("content");
      for (int i = 0; i < width; i++) {
        String text = i < cells.size() ? cells.get(i) : "";
        ObjectNode cell = rowCells.addObject().put("type", cellType);
        cell.putObject("attrs");
        cell.putArray("content").add(paragraphNode(text));
      }
      return row;
    }
  }

  private static ObjectNode paragraphNode(String text) {
    ObjectNode paragraph = NODES.objectNode().put("type", "paragraph");
    paragraph.set("content", lines(text));
    return paragraph;
  }

  /** Text nodes with a hard break at each line break; empty lines make no empty text node. */
  private static ArrayNode lines(String text) {
    ArrayNode inline = NODES.arrayNode();
    if (text == null) {
      return inline;
    }
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        inline.addObject().put("type", "hardBreak");
      }
      addText(inline, lines[i], null);
    }
    return inline;
  }

  private static void addText(ArrayNode inline, String text, String mark) {
    if (text == null || text.isEmpty()) {
      return;
    }
    ObjectNode node = inline.addObject().put("type", "text").put("text", text);
    if (mark != null) {
      node.putArray("marks").addObject().put("type", mark);
    }
  }

  private static void addLink(ArrayNode inline, String text, String url) {
    String shown = text == null || text.isEmpty() ? url : text;
    if (url == null || !SAFE_HREF.matcher(url).matches()) {
      addText(inline, shown, null);
      return;
    }
    ObjectNode node = inline.addObject().put("type", "text").put("text", shown);
    node.putArray("marks").addObject().put("type", "link").putObject("attrs").put("href", url);
  }

  // ---- flattening ----

  /**
   * The text of an ADF document as a person would read it: blocks separated by a blank line, list
   * items as {@code - item} (ordered: {@code 1. item}), table rows as cells joined by {@code " |
   * "}, mentions as their {@code @name}, a link as {@code text (href)} when the two differ. A plain
   * JSON string (the REST v2 and webhook shape of a comment body) is returned as is; null, missing
   * or anything else gives "". Nesting deeper than {@link #MAX_DEPTH} is cut.
   */
  public static String toPlainText(JsonNode document) {
    if (document == null || document.isNull() || document.isMissingNode()) {
      return "";
    }
    if (document.isTextual()) {
      return document.asText();
    }
    if (!document.isObject()) {
      return "";
    }
    return block(document, 0).strip();
  }

  private static String block(JsonNode node, int depth) {
    if (depth > MAX_DEPTH) {
      return "";
    }
    String type = node.path("type").asText("");
    switch (type) {
      case "paragraph", "heading", "codeBlock" -> {
        return inline(node, depth);
      }
      case "text", "hardBreak", "mention", "emoji", "inlineCard", "status", "date" -> {
        return inlineNode(node, depth);
      }
      case "rule" -> {
        return "---";
      }
      case "bulletList", "orderedList" -> {
        List<String> items = new ArrayList<>();
        int number = node.path("attrs").path("order").asInt(1);
        for (JsonNode item : node.path("content")) {
          String marker = type.equals("bulletList") ? "- " : (number++) + ". ";
          String text = children(item, depth, "\n");
          items.add(marker + text.replace("\n", "\n  "));
        }
        return String.join("\n", items);
      }
      case "table" -> {
        List<String> rows = new ArrayList<>();
        for (JsonNode row : node.path("content")) {
          List<String> cells = new ArrayList<>();
          for (JsonNode cell : row.path("content")) {
            cells.add(children(cell, depth + 1, " ").replace('\n', ' ').strip());
          }
          rows.add(String.join(" | ", cells));
        }
        return String.join("\n", rows);
      }
      default -> {
        return children(node, depth, "\n\n");
      }
    }
  }

  private static String children(JsonNode node, int depth, String separator) {
    List<String> blocks = new ArrayList<>();
    for (JsonNode child : node.path("content")) {
      String text = block(child, depth + 1);
      if (!text.isEmpty()) {
        blocks.add(text);
      }
    }
    return String.join(separator, blocks);
  }

  private static String inline(JsonNode node, int depth) {
    StringBuilder text = new StringBuilder();
    for (JsonNode child : node.path("content")) {
      text.append(inlineNode(child, depth + 1));
    }
    return text.toString();
  }

  private static String inlineNode(JsonNode node, int depth) {
    if (depth > MAX_DEPTH) {
      return "";
    }
    JsonNode attrs = node.path("attrs");
    return switch (node.path("type").asText("")) {
      case "text" -> {
        String text = node.path("text").asText("");
        String href = "";
        for (JsonNode mark : node.path("marks")) {
          if (mark.path("type").asText("").equals("link")) {
            href = mark.path("attrs").path("href").asText("");
          }
        }
        yield href.isEmpty() || href.equals(text) ? text : text + " (" + href + ")";
      }
      case "hardBreak" -> "\n";
      case "mention" -> attrs.path("text").asText("");
      case "emoji" -> attrs.path("text").asText(attrs.path("shortName").asText(""));
      case "inlineCard" -> attrs.path("url").asText("");
      case "status" -> attrs.path("text").asText("").toUpperCase(Locale.ROOT);
      case "date" -> date(attrs.path("timestamp").asText(""));
      default -> inline(node, depth);
    };
  }

  private static String date(String epochMillis) {
    try {
      return Instant.ofEpochMilli(Long.parseLong(epochMillis)).toString().substring(0, 10);
    } catch (RuntimeException e) {
      return Objects.toString(epochMillis, "");
    }
  }
}
