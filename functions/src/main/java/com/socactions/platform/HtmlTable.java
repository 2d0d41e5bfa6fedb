package com.socactions.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * A compact HTML table for a Sentinel incident comment. Sentinel accepts HTML comments of at most
 * 30,000 characters; {@link #render()} stays under that by dropping whole rows (never cutting a
 * tag) and saying how many were left out.
 */
public final class HtmlTable {
  /** Sentinel's limit for one incident comment, in characters. */
  public static final int MAX_COMMENT_CHARS = 30_000;

  private final String title;
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final int maxChars;

  public HtmlTable(String title, List<String> headers) {
    this(title, headers, MAX_COMMENT_CHARS);
  }

  HtmlTable(String title, List<String> headers, int maxChars) {
    this.title = title;
    this.headers = List.copyOf(headers);
    this.maxChars = maxChars;
  }

  /** Adds a row; null cells render empty. Cells are text, escaped here. */
  public HtmlTable row(List<String> cells) {
    rows.add(new ArrayList<>(cells));
    return this;
  }

  /** A line of text under the table (e.g. a stale-database warning). */
  public HtmlTable note(String text) {
    notes.add(text);
    return this;
  }

  public String render() {
    StringBuilder head = new StringBuilder();
    head.append("<p><b>").append(escape(title)).append("</b></p><table><tr>");
    for (String header : headers) {
      head.append("<th>").append(escape(header)).append("</th>");
    }
    head.append("</tr>");
    StringBuilder tail = new StringBuilder("</table>");
    for (String note : notes) {
      tail.append("<p>").append(escape(note)).append("</p>");
    }
    StringBuilder body = new StringBuilder();
    int shown = 0;
    for (List<String> row : rows) {
      String rendered = renderRow(row);
      String omissionNote = omissionNote(rows.size() - shown - 1);
      if (head.length() + body.length() + rendered.length() + tail.length() + omissionNote.length() > maxChars) {
        break;
      }
      body.append(rendered);
      shown++;
    }
    String omitted = omissionNote(rows.size() - shown);
    return head.append(body).append(tail).append(omitted).toString();
  }

  private String renderRow(List<String> row) {
    StringBuilder html = new StringBuilder("<tr>");
    for (String cell : row) {
      html.append("<td>").append(cell == null ? "" : escape(cell)).append("</td>");
    }
    return html.append("</tr>").toString();
  }

  private static String omissionNote(int omittedRows) {
    return omittedRows <= 0 ? "" : "<p><i>" + omittedRows + " more rows not shown (comment size limit); see the action's output.</i></p>";
  }

  public static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
